"""Turn hand-written model answers into recordings, through briefer's real record path.

No live model is reachable where the fixtures are made, so the answers under fixtures/answers/
are written by hand, as a capable model would answer the exact request. This script serves them
from a Chat Completions server on 127.0.0.1 and briefs the articles in record mode, so every
recording is keyed by the very request briefer sends, and says in its metadata that it was
written by hand. Answers are named by what they answer:

    SOURCE-ID.pFIRST-LAST.json   the extraction of paragraphs FIRST..LAST of one source
    SOURCE-ID.synthesis.json     the synthesis of a briefing whose first source is SOURCE-ID

Re-run it after a prompt, schema, chunking or merge change, on every set the tests replay:

    python tests/record_handwritten.py --all
    python tests/record_handwritten.py fixtures/articles/scholz-putin-call.txt   # one set
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.app.pipeline import brief_documents  # noqa: E402
from briefer.core.models import Briefing  # noqa: E402
from briefer.extract.prompting import SYNTHESIS_SCHEMA_NAME  # noqa: E402
from briefer.ingest import read_source  # noqa: E402
from briefer.llm import LLMClient, LLMSettings  # noqa: E402
from briefer.llm.recording import ResponseStore  # noqa: E402
from briefer.llm.transport import DEFAULT_MODEL  # noqa: E402
from tests.chat_server import CHARS_PER_TOKEN, ChatServer, Reply  # noqa: E402

ANSWERS = ROOT / "fixtures" / "answers"
ARTICLES = ROOT / "fixtures" / "articles"
#: Every set of articles the tests brief from recordings (a set is briefed together).
SETS = [
    ["scholz-putin-call.txt"],
    ["businessweek_afghanistan_new_millionaires_2014.txt"],
    ["ap_uk_tories_factcheckuk_2019.txt"],
    ["ap_uk_tories_factcheckuk_2019.html"],
    ["pick_nypost_taliban_hostage_swap_2019.html"],
    ["sueddeutsche_flixtrain_2019.html"],
    ["franceculture_idees_2020.html"],
    ["bbc_sweden_drops_assange_investigation_2019.txt", "assange_albawaba_2019.txt"],
    ["meth_njcom_2019.txt", "meth_spokesman_ad_agencies_2019.txt",
     "meth_thehill_noem_doubles_down_2019.txt", "meth_usatoday_argusleader_2019.txt"],
    # Ten articles the short briefing was never tuned on, each with a reader's list of what it
    # turns on (fixtures/editor/): two in German, two two-source sets and one three-source set.
    ["nzz_brexit_nervenkrieg_2019.txt"],
    ["faz_streaming_2020.html"],
    ["omar_nbcnews_guilty_plea_2019.txt", "omar_thehill_guilty_plea_2019.txt"],
    ["aljazeera_us_helicopter_crash_afghanistan_2019.txt"],
    ["reuters_markets_oil_stocks_2019.txt"],
    ["dw_colonial_2020.html"],
    ["thesun_plague_2019.html", "express_plague_2019.html"],
    ["ap_sondland_impeachment_2019.html"],
    ["nationalreview_impeachment_clock_2019.html"],
    ["meth_spokesman_ad_agencies_2019.txt", "meth_thehill_noem_doubles_down_2019.txt",
     "meth_usatoday_argusleader_2019.txt"],
]
#: Sets briefed in another language (--language): their answers are named SOURCE-ID.pA-B.LANG.json.
LANGUAGE_SETS = [
    (["sueddeutsche_flixtrain_2019.html"], "de"),
    (["franceculture_idees_2020.html"], "fr"),
]
CASSETTES = ROOT / "fixtures" / "cassettes"
PROVENANCE = {
    "source": "hand-written",
    "note": "No live model was reachable: this answer was written by hand as a capable model "
    "would answer this exact request, from a real reading of the article(s), and recorded "
    "through briefer's record path from a local test server. The readable answer is in "
    "fixtures/answers/ (see tests/record_handwritten.py for the naming).",
    "usage": f"estimated at {CHARS_PER_TOKEN} characters a token, not counted by a tokenizer",
}


def reply_language(user: str) -> str:
    """The `.LANG` of the answer a request asks for: "" for English (no language line)."""
    from briefer.core.languages import CODES, name

    line = re.search(r"^Reply language: (.+?)\. ", user, re.MULTILINE)
    return next((f".{code}" for code in CODES if line and name(code) == line.group(1)), "")


def answer_for(body: dict[str, Any], answers: Path = ANSWERS) -> Path:
    """The answer file for a request: by the sources and paragraphs its user message names."""
    user = body["messages"][1]["content"]
    language = reply_language(user)
    name = body.get("response_format", {}).get("json_schema", {}).get("name")
    if name == SYNTHESIS_SCHEMA_NAME or user.startswith("Sources:"):
        first_source = re.search(r"^- ([^:]+):", user, re.MULTILINE).group(1)  # type: ignore[union-attr]
        return answers / f"{first_source}.synthesis{language}.json"
    source = re.search(r"^Source id: (\S+)$", user, re.MULTILINE).group(1)  # type: ignore[union-attr]
    first, last = re.search(r"^Paragraphs: (\d+) to (\d+) of", user, re.MULTILINE).groups()  # type: ignore[union-attr]
    return answers / f"{source}.p{first}-{last}{language}.json"


def compact(answer: Path) -> str:
    """The answer as a model sends it: one line of JSON."""
    return json.dumps(json.loads(answer.read_text(encoding="utf-8")), ensure_ascii=False,
                      separators=(",", ":"))


def reply(body: dict[str, Any], _: int) -> Reply:
    path = answer_for(body)
    if not path.is_file():
        return Reply(status=404, error=f"no hand-written answer {path.relative_to(ROOT)}")
    return Reply(content=compact(path))


async def record(articles: list[Path], cassettes: Path, model: str, language: str | None = None) -> Briefing:
    with ChatServer(reply) as server:
        store = ResponseStore(cassettes, "record", upstream=httpx2.AsyncHTTPTransport(), provenance=PROVENANCE)
        settings = LLMSettings(model=model, api_key="no-key-for-a-local-server",
                               base_url=server.url, max_reasks=0, max_attempts=1, language=language)
        llm = LLMClient(settings, store)
        try:
            return await brief_documents(llm, [read_source(str(a)) for a in articles])
        finally:
            await llm.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, nargs="*", help="briefed together, as `briefer brief A B`")
    parser.add_argument("--all", action="store_true", help="every set in SETS, into a fresh folder")
    parser.add_argument("--each", action="store_true", help="brief each article on its own")
    parser.add_argument("--cassettes", type=Path, default=CASSETTES)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--language", help="the briefing's language, as `briefer brief --language`")
    args = parser.parse_args()
    groups = [([a], args.language) for a in args.articles] if args.each else [(args.articles, args.language)]
    if args.all:
        for stale in args.cassettes.glob("*.json"):
            stale.unlink()
        groups = [([ARTICLES / name for name in names], language)
                  for names, language in [*((names, None) for names in SETS), *LANGUAGE_SETS]]
    for group, language in groups:
        briefing = asyncio.run(record(group, args.cassettes, args.model, language))
        print(f"recorded {briefing.usage.calls} call(s) for {', '.join(map(str, group))}: "
              f"{briefing.grounding.summary}")
    if args.all:
        from briefer.app.estimate import COMPLETION_PER_ARTICLE_TOKEN, COMPLETION_PER_SYNTHESIS, calibration

        ratio, synthesis = calibration(args.cassettes, args.model)
        print(f"calibration (briefer/app/estimate.py): upper quartile of completion/article tokens "
              f"{ratio:.2f} (COMPLETION_PER_ARTICLE_TOKEN is {COMPLETION_PER_ARTICLE_TOKEN}), of "
              f"synthesis replies {synthesis:,.0f} (COMPLETION_PER_SYNTHESIS is {COMPLETION_PER_SYNTHESIS:,})")


if __name__ == "__main__":
    main()
