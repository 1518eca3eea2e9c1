"""The benchmark: how long a morning's articles take, what briefer itself costs in CPU and
memory, how many tokens each call spends and writes, and how soon a person sees something.

It starts the Chat Completions test server in its own process (every call answered after a fixed
delay with the seed article's answer), writes N copies of the seed article, and runs the real
`briefer brief --each` on them as a subprocess, measured with wait4 (CPU and peak memory of
that process alone). Per-article CPU and memory flatness come from two runs of different size,
so interpreter start-up cancels out.

Run:  python benchmarks/run.py            (200 articles at --concurrency 16, 2 s a call)
      python benchmarks/run.py --articles 40 --delay 0.5     (a quicker look)

The default delay, 2 s, is on the fast side of real structured-extraction calls (several seconds
each); the wall time includes briefer's start-up (interpreter, the SDK), which the ideal does
not, and the report shows both. Completion tokens per article token, per call and the re-ask
rate come from the recordings of every fixture (fixtures/cassettes): what the replies a briefing
is made of cost. Start-up is the median of 9 runs of `briefer brief SEED`, the time to the first
progress output of 5 (its stderr on a pseudo-terminal), beside the floor: the median of 9 times
to start Python and import the openai SDK alone. briefer's modules are compiled to
bytecode first, as `pip install` does: a checkout run with PYTHONDONTWRITEBYTECODE would
otherwise compile every module from source on every start.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import pty
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.extract.chunking import count_tokens  # noqa: E402
from briefer.extract.prompting import SYNTHESIS_SCHEMA_NAME, extraction_request  # noqa: E402
from briefer.ingest import read_source  # noqa: E402
from briefer.llm.recording import recorded_completion  # noqa: E402

SEED = ROOT / "fixtures" / "articles" / "scholz-putin-call.txt"
ANSWER = ROOT / "fixtures" / "answers" / "scholz-putin-call.p1-21.json"
BRIEFER = [sys.executable, "-m", "briefer"]


@dataclass
class Run:
    articles: int
    wall: float
    cpu: float
    peak_mb: float
    calls: int


class Server:
    """tests/chat_server.py in its own process, so its CPU is not counted as briefer's."""

    def __init__(self, delay: float):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "chat_server.py"), "--answer", str(ANSWER), "--delay", str(delay)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()

    def calls(self) -> int:
        with urllib.request.urlopen(self.url.removesuffix("/v1") + "/stats") as response:  # loopback only
            return int(json.load(response)["requests"])

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def inbox(folder: Path, articles: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(articles):
        shutil.copy(SEED, folder / f"seed-{n:04}.txt")
        shutil.copy(SEED.with_name("scholz-putin-call.meta.json"), folder / f"seed-{n:04}.meta.json")
    return folder


def measured(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    errors = process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"briefer failed:\n{errors}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, errors


def brief_each(server: Server, articles: int, concurrency: int, work: Path, extra: list[str] = ()) -> Run:  # type: ignore[assignment]
    folder = inbox(work / f"in-{articles}", articles)
    before = server.calls()
    env = {**os.environ, "OPENAI_API_KEY": "benchmark-key-not-a-secret"}
    wall, cpu, peak, _ = measured(
        [*BRIEFER, "brief", "--each", str(folder), "-o", str(work / f"out-{articles}"), "--quiet",
         "--concurrency", str(concurrency), "--base-url", server.url, *extra], env)
    return Run(articles, wall, cpu, peak, server.calls() - before)


def startup_to_first_call(times: int = 9) -> float:
    """Median seconds from launching `briefer brief` to its first call (imports, reading)."""
    return statistics.median(_startup_to_first_call() for _ in range(times))


def _startup_to_first_call() -> float:
    first: list[float] = []

    def reply(_body: dict, _n: int) -> object:
        from tests.chat_server import Reply

        first.append(time.perf_counter())
        return Reply(content=ANSWER.read_text(encoding="utf-8"))

    from tests.chat_server import ChatServer

    with ChatServer(reply) as server:  # type: ignore[arg-type]
        started = time.perf_counter()
        subprocess.run([*BRIEFER, "brief", str(SEED), "--base-url", server.url, "-q"], check=True,
                       stdout=subprocess.DEVNULL, env={**os.environ, "OPENAI_API_KEY": "benchmark-key-not-a-secret"})
    return first[0] - started


def first_progress(times: int = 5) -> float:
    """Median seconds from launching a one-article `briefer brief` to its first progress output
    on a terminal's stderr."""
    from tests.chat_server import ChatServer, Reply

    runs = []
    env = {**os.environ, "OPENAI_API_KEY": "benchmark-key-not-a-secret"}
    with ChatServer(lambda _body, _n: Reply(content=ANSWER.read_text(encoding="utf-8"))) as server:
        for _ in range(times):
            leader, follower = pty.openpty()
            started = time.perf_counter()
            process = subprocess.Popen([*BRIEFER, "brief", str(SEED), "--base-url", server.url],
                                       stdout=subprocess.DEVNULL, stderr=follower, env=env)
            os.close(follower)
            seen = b""
            while b"tokens received" not in seen:
                seen += os.read(leader, 4096)
            runs.append(time.perf_counter() - started)
            process.wait()
            os.close(leader)
    return statistics.median(runs)


@dataclass
class Replies:
    """What the recorded replies of the fixtures cost, per source."""

    article_tokens: dict[str, int]
    completion_tokens: dict[str, int]
    calls: int
    reasks: int
    synthesis_tokens: int


def recorded_replies() -> Replies:
    """Every fixture recording: article and completion tokens of each source's extractions,
    calls, re-asks (requests with more than the instructions and the article) and syntheses."""
    replies = Replies({}, {}, 0, 0, 0)
    for path in sorted((ROOT / "fixtures" / "cassettes").glob("*.json")):
        recording = json.loads(path.read_text(encoding="utf-8"))
        body = recording["request"]["body"]
        completion = recorded_completion(recording).usage.get("completion_tokens", 0)
        replies.calls += 1
        replies.reasks += len(body["messages"]) > 2
        if body["response_format"].get("json_schema", {}).get("name") == SYNTHESIS_SCHEMA_NAME:
            replies.synthesis_tokens += completion
            continue
        user = body["messages"][1]["content"]
        source = re.search(r"^Source id: (\S+)$", user, re.MULTILINE).group(1)  # type: ignore[union-attr]
        replies.article_tokens[source] = replies.article_tokens.get(source, 0) + count_tokens(user)
        replies.completion_tokens[source] = replies.completion_tokens.get(source, 0) + completion
    return replies


def report_replies(replies: Replies) -> None:
    ratios = {s: replies.completion_tokens[s] / replies.article_tokens[s] for s in replies.article_tokens}
    completion = sum(replies.completion_tokens.values()) + replies.synthesis_tokens
    print(f"completion tokens per article token, by fixture (target <= 2.0): "
          + ", ".join(f"{s} {r:.2f}" for s, r in sorted(ratios.items(), key=lambda i: -i[1])))
    print(f"completion tokens per article token, all fixtures: "
          f"{sum(replies.completion_tokens.values()) / sum(replies.article_tokens.values()):.2f} "
          f"(highest {max(ratios.values()):.2f}); per call: {completion / replies.calls:,.0f} "
          f"({replies.calls} recorded calls, syntheses included)")
    print(f"re-ask rate: {replies.reasks / replies.calls:.2f} of recorded calls are re-asks or repairs")


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, from wait4) of one run of a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall time and the median CPU time of several runs."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def sdk_floor_timed(times: int = 9) -> tuple[float, float]:
    """Median wall and CPU seconds to start Python and import the SDK: what no briefer change
    can remove from a command that calls a model."""
    return medians([timed([sys.executable, "-c", "import openai"]) for _ in range(times)])


def sdk_floor(times: int = 9) -> float:
    return sdk_floor_timed(times)[0]


#: Runs briefer with every temporary file or folder it makes counted (tempfile's functions are
#: looked up when called, so a library's use is counted too), the count written on exit.
_COUNTING_TEMPFILES = """
import atexit, os, runpy, sys, tempfile
made = []
for name in ("mkstemp", "mkdtemp", "TemporaryFile", "NamedTemporaryFile", "TemporaryDirectory"):
    def wrapper(*args, _original=getattr(tempfile, name), _name=name, **kwargs):
        if kwargs.get("dir") is None:  # in TMPDIR (an output written via a temporary file beside it is not)
            made.append(_name)
        return _original(*args, **kwargs)
    setattr(tempfile, name, wrapper)
atexit.register(lambda: open(os.environ["BRIEFER_BENCH_COUNT"], "w").write(str(len(made))))
sys.argv = ["briefer", *sys.argv[1:]]
runpy.run_module("briefer", run_name="__main__")
"""


def replayed_briefing(times: int = 11) -> tuple[tuple[float, float], tuple[float, float], float, int]:
    """A whole replayed seed briefing (read, extract from the recording, ground, write) beside
    the floor (Python and the openai import), run alternately so that a change in the machine's
    load falls on both alike: median wall and CPU seconds of each; the CPU seconds of the first
    run, whose cache folder (compiled templates, the token bound's vocabulary) starts empty; and
    how many temporary files one more such run made in TMPDIR."""
    with tempfile.TemporaryDirectory(prefix="briefer-bench-replay-") as folder:
        env = {**os.environ, "BRIEFER_DATA_DIR": str(Path(folder) / "data"),
               "BRIEFER_CACHE_DIR": str(Path(folder) / "cache"), "BRIEFER_BENCH_COUNT": str(Path(folder) / "count")}
        args = ["brief", str(SEED), "--replay", str(ROOT / "fixtures" / "cassettes"), "-q", "--no-log",
                "-o", str(Path(folder) / "seed.json")]
        first = timed([*BRIEFER, *args], env)[1]
        floors, replays = [], []
        for _ in range(times):
            floors.append(timed([sys.executable, "-c", "import openai"]))
            replays.append(timed([*BRIEFER, *args], env))
        subprocess.run([sys.executable, "-c", _COUNTING_TEMPFILES, *args], env=env, check=True)
        made = int((Path(folder) / "count").read_text())
    return medians(replays), medians(floors), first, made


def replay_line(times: int = 11) -> str:
    (replay, replay_cpu), (floor, floor_cpu), first, made = replayed_briefing(times)
    return (f"replayed seed briefing: {replay:.3f} s, CPU {replay_cpu:.3f} s (medians of {times} runs alternating "
            f"with Python and the openai import alone: {floor:.3f} s, CPU {floor_cpu:.3f} s; "
            f"{(replay - floor) * 1000:.0f} ms more, CPU {(replay_cpu - floor_cpu) * 1000:.0f} ms more, "
            f"target <= 150 ms; the first run, with an empty cache folder: CPU {first:.3f} s); "
            f"temporary files a run makes in TMPDIR: {made}")


def help_startup(times: int = 10, args: tuple[str, ...] = ("--help",), env: dict[str, str] | None = None) -> float:
    return help_startup_timed(times, args, env)[0]


def help_startup_timed(times: int = 10, args: tuple[str, ...] = ("--help",),
                       env: dict[str, str] | None = None) -> tuple[float, float]:
    """Median wall and CPU seconds of `briefer ARGS`."""
    return medians([timed([*BRIEFER, *args], env) for _ in range(times)])


def command_startup(times: int = 10) -> str:
    """Start-up of commands that call no model (`text`, `render`, `log`) beside `--help`: each
    should load its own code only, never the SDK (target: within 50 ms of `--help`). Wall and
    CPU (user + system) time: on a shared machine the CPU time is the steadier figure."""
    with tempfile.TemporaryDirectory(prefix="briefer-startup-") as folder:
        env = {**os.environ, "HOME": folder, "BRIEFER_DATA_DIR": folder, "BRIEFER_CONFIG": f"{folder}/config.toml"}
        saved = f"{folder}/seed.json"
        subprocess.run([*BRIEFER, "brief", str(SEED), "--replay", str(ROOT / "fixtures" / "cassettes"), "-q",
                        "-o", saved], check=True, env=env)  # and one run in the log
        figures = {name: help_startup_timed(times, args, env) for name, args in
                   (("--help", ("--help",)), ("text", ("text", str(SEED))), ("render", ("render", saved)),
                    ("log", ("log",)))}
    base, base_cpu = figures.pop("--help")
    return (f"start-up by command: --help {base * 1000:.0f} ms (CPU {base_cpu * 1000:.0f}); "
            + "; ".join(f"{name} {t * 1000:.0f} ms ({(t - base) * 1000:+.0f}; CPU {c * 1000:.0f}, "
                        f"{(c - base_cpu) * 1000:+.0f})" for name, (t, c) in figures.items())
            + f" (medians of {times}; target within 50 ms of --help)")


#: What `render` cannot start without, step by step: the command line (what `--help` loads), the
#: validation library (a saved briefing is untrusted input), the briefing's models, the template
#: engine. Each step's code runs in a fresh interpreter after the steps before it.
_RENDER_FLOOR = (
    ("Python and click", "import click"),
    ("+ pydantic", "import click, pydantic; from pydantic import BaseModel"),
    ("+ the briefing models", "import click, pydantic; from briefer.core.models import Briefing"),
    ("+ jinja2", "import click, pydantic, jinja2; from briefer.core.models import Briefing"),
)


def render_floor(times: int = 10) -> str:
    """CPU medians of the imports `render` needs whatever briefer does: the floor under its
    start-up, beside `--help` (which loads click and the command line only)."""
    figures = [(name, medians([timed([sys.executable, "-c", code]) for _ in range(times)])[1])
               for name, code in _RENDER_FLOOR]
    base = figures[0][1]
    return ("floor under render, CPU (medians of %d): " % times
            + "; ".join(f"{name} {cpu * 1000:.0f} ms" + (f" ({(cpu - base) * 1000:+.0f})" if n else "")
                        for n, (name, cpu) in enumerate(figures)))


def token_split() -> tuple[int, int]:
    document = read_source(str(SEED))
    from briefer.extract.chunking import chunk_document

    (chunk,) = chunk_document(document)
    messages, response_format = extraction_request(document, chunk)
    static = count_tokens(messages[0]["content"] + json.dumps(response_format))
    return static, count_tokens(messages[1]["content"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds the server takes per call")
    parser.add_argument("--startup", action="store_true", help="only the start-up figures")
    args = parser.parse_args()
    small = max(10, args.articles // 10)
    compileall.compile_dir(ROOT / "briefer", quiet=1)  # as an installed package has it
    load_before = os.getloadavg()[0]
    if args.startup:
        print(f"start-up before the first call: {startup_to_first_call():.3f} s (median of 9; "
              f"Python and the openai import alone: {sdk_floor():.3f} s); load average "
              f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
        print(replay_line())
        print(command_startup())
        print(render_floor())
        return

    work = Path(tempfile.mkdtemp(prefix="briefer-bench-"))
    server = Server(args.delay)
    try:
        big = brief_each(server, args.articles, args.concurrency, work)
        little = brief_each(server, small, args.concurrency, work)
        cache = work / "cache"
        brief_each(server, small, args.concurrency, work / "cached-1", ["--cache", str(cache)])
        rerun = brief_each(server, small, args.concurrency, work / "cached-2", ["--cache", str(cache)])
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)

    ideal = big.calls / args.concurrency * args.delay
    cpu_per_article = (big.cpu - little.cpu) / (big.articles - little.articles)
    static, article = token_split()
    startup = help_startup()
    first_call, progress, floor = startup_to_first_call(), first_progress(), sdk_floor()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; load average {load_before:.2f} before, "
          f"{os.getloadavg()[0]:.2f} after")
    print(f"articles: {big.articles} one-chunk articles (the seed), --each --concurrency {args.concurrency}, "
          f"server answers each call after {args.delay:g} s")
    print(f"wall time: {big.wall:.2f} s; ideal {ideal:.2f} s (calls / concurrency x delay); "
          f"ratio {big.wall / ideal:.3f} (target <= 1.15)")
    print(f"start-up before the first call: {first_call:.3f} s (median of 9; target <= 0.5 s; "
          f"Python and the openai import alone: {floor:.3f} s); "
          f"first progress output on a terminal after {progress:.2f} s")
    print(f"briefer CPU per article, waiting excluded: {cpu_per_article * 1000:.1f} ms (target < 10 ms; "
          f"{big.cpu:.2f} s for {big.articles} articles, {little.cpu:.2f} s for {little.articles})")
    print(f"peak memory: {big.peak_mb:.0f} MB for {big.articles} articles, {little.peak_mb:.0f} MB for "
          f"{little.articles} (flat: {big.peak_mb / little.peak_mb:.2f}x)")
    print(f"calls per article: {big.calls / big.articles:.2f}")
    print(f"prompt tokens per call: {static + article:,} = {static:,} static (instructions and schema, "
          f"identical every call) + {article:,} article")
    print(f"briefer --help start-up: {startup * 1000:.0f} ms (median of 10; target < 250 ms)")
    print(replay_line())
    print(command_startup())
    print(f"--cache rerun of {rerun.articles} articles: {rerun.calls} calls (first run made {small})")
    report_replies(recorded_replies())


if __name__ == "__main__":
    main()
