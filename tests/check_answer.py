"""Check hand-written answers before they are recorded: valid against the reply contract,
grounded in their article, compact enough.

    python tests/check_answer.py fixtures/answers/scholz-putin-call.p1-21.json
    python tests/check_answer.py fixtures/answers/*.json          # several at once
    python tests/check_answer.py --prompt ANSWER.json             # the exact request it answers

For an extraction answer (SOURCE-ID.pFIRST-LAST.json) it validates the reply as the pipeline
does (paragraphs outside the chunk, dangling actor ids), grounds every excerpt, quote, figure
and date with briefer's own checks, and compares the reply's tokens with the article's as the
model reads it (the extraction call's user message, counted exactly, as the benchmark does). For a
synthesis answer (SOURCE-ID.synthesis.json) it first merges the set's extraction answers, as
the pipeline would, then does the same for the synthesis. Errors make the exit code 1;
warnings are the contract's size guidance and do not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.app.pipeline import synthesis_context, with_synthesis  # noqa: E402
from briefer.core.defaults import DEFAULT_CHUNK_TOKENS  # noqa: E402
from briefer.core.models import Briefing, Chunk, ChunkExtraction, Document, Synthesis, Usage  # noqa: E402
from briefer.core.models.compact import expand_extraction  # noqa: E402
from briefer.extract.chunking import chunk_document, count_tokens  # noqa: E402
from briefer.extract.prompting import extraction_request, prompt_version, synthesis_request  # noqa: E402
from briefer.grounding import all_evidence, ground, grounding_problems, outcome  # noqa: E402
from briefer.ingest import read_source, slug  # noqa: E402
from briefer.llm.transport import DEFAULT_MODEL  # noqa: E402
from briefer.merge.extractions import briefing_from_extraction, merge  # noqa: E402
from tests.record_handwritten import ANSWERS, ARTICLES, CHARS_PER_TOKEN, SETS, compact  # noqa: E402

#: The contract's ceiling: reply tokens per article token (issue 15); aim lower.
MAX_RATIO = 2.0
AIM_RATIO = 1.8
EXCERPT_WORDS = 12
BOTTOM_LINE_WORDS = 60


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@cache
def documents_of(names: tuple[str, ...]) -> list[Document]:
    return [read_source(str(ARTICLES / name)) for name in names]


_CHUNKS: dict[str, list[Chunk]] = {}


def chunks_of(document: Document) -> list[Chunk]:
    key = f"{document.id}:{document.sha256}"
    if key not in _CHUNKS:
        _CHUNKS[key] = chunk_document(document, DEFAULT_CHUNK_TOKENS, DEFAULT_MODEL)
    return _CHUNKS[key]


def find_chunk(source_id: str, first: int, last: int) -> tuple[Document, Chunk]:
    """The article and chunk an extraction answer is for (the .txt and .html of one page share
    an id, so the paragraph range tells them apart)."""
    for names in SETS:
        for name in names:
            if slug(Path(name).stem) != source_id:
                continue
            document = documents_of((name,))[0]
            for chunk in chunks_of(document):
                if (chunk.first_paragraph, chunk.last_paragraph) == (first, last):
                    return document, chunk
    raise SystemExit(f"no fixture article {source_id} is chunked as paragraphs {first}-{last}")


def article_tokens(document: Document, chunk: Chunk, language: str | None) -> int:
    """The article as the model reads it, counted exactly: the user message of its extraction
    call (the paragraphs with their markers, and the title, outlet and date above them), as the
    benchmark counts it. `chunk.tokens` is only an upper bound when the article is one chunk."""
    messages, _ = extraction_request(document, chunk, language=language)
    return count_tokens(messages[1]["content"], DEFAULT_MODEL)


def find_set(source_id: str) -> list[str]:
    for names in SETS:
        if len(names) > 1 or len(chunks_of(documents_of(tuple(names))[0])) > 1:
            if slug(Path(names[0]).stem) == source_id:
                return names
    raise SystemExit(f"no set of several chunks or sources starts with {source_id}")


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def reply_tokens(path: Path) -> tuple[int, float]:
    """The reply's tokens as the model would send it: counted, and as recordings estimate them."""
    text = compact(path)
    return count_tokens(text, DEFAULT_MODEL), len(text) / CHARS_PER_TOKEN


def lint(data: dict[str, Any], report: Report, *, synthesis: bool) -> None:
    """The contract's size guidance, as warnings."""
    words = len(data["bottom_line"]["text"].split())
    if words > BOTTOM_LINE_WORDS:
        report.warnings.append(f"bottom_line: {words} words (at most about {BOTTOM_LINE_WORDS})")
    low, high = (3, 7) if synthesis else (2, 5)
    if not low <= len(data["key_points"]) <= high:
        report.warnings.append(f"key_points: {len(data['key_points'])} (expected {low} to {high})")
    seen: dict[str, str] = {}

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            if "excerpt" in node and isinstance(node["excerpt"], str):
                excerpt = node["excerpt"]
                if len(excerpt.split()) > EXCERPT_WORDS:
                    report.warnings.append(f"{path}.excerpt: {len(excerpt.split())} words; a few words prove it")
                key = excerpt.casefold().strip()
                if key in seen and not path.startswith(("bottom_line", "key_points")):
                    report.warnings.append(f"{path}.excerpt repeats {seen[key]}: say it once")
                seen.setdefault(key, path)
            if path.startswith(("bottom_line", "key_points", "findings")) or re.match(r"key_points\.\d+$", path):
                if "evidence" in node and not node["evidence"]:
                    report.errors.append(f"{path}: cites no evidence")
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else key)
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, f"{path}.{n}")

    walk(data, "")
    for n, actor in enumerate(data.get("actors", [])):
        folded = [a.casefold() for a in actor["aliases"]]
        if actor["name"].casefold() in folded or len(set(folded)) < len(folded):
            report.warnings.append(f"actors.{n}.aliases: repeats the name or differs only in case")


def grounding_findings(briefing: Briefing, report: Report) -> None:
    """briefer's own checks: unsupported is an error, approximate a warning with the source's words."""
    report.errors += [f"grounding: {p}" for p in grounding_problems(briefing)]
    for evidence in all_evidence(briefing):
        if evidence.status == "approximate":
            report.warnings.append(f"approximate excerpt in {evidence.source} ¶{evidence.paragraph}: "
                                   f"'{evidence.excerpt}' is not verbatim; copy it exactly")
    for name in ("positions", "disputed_claims", "quotes", "facts", "events"):
        for n, item in enumerate(getattr(briefing, name)):
            if outcome(item) == "unchecked":
                report.notes.append(f"not checked (counted quietly, never sent back): {name}.{n}")
    report.notes.append(briefing.grounding.summary)


def check_extraction(path: Path, source_id: str, first: int, last: int, show_prompt: bool,
                     language: str | None = None) -> Report:
    report = Report()
    document, chunk = find_chunk(source_id, first, last)
    if show_prompt:
        messages, _ = extraction_request(document, chunk, language=language)
        print(messages[1]["content"])
    data = load(path)
    try:
        extraction = ChunkExtraction.model_validate(data, context={"paragraphs": range(first, last + 1)})
    except ValidationError as error:
        report.errors += [f"invalid: {e['loc']}: {e['msg']}" for e in error.errors()]
        return report
    lint(expand_extraction(data)[0], report, synthesis=False)  # read as briefer reads it
    draft = briefing_from_extraction(document, extraction, usage=Usage(), model=DEFAULT_MODEL,
                                     prompt_version=prompt_version())
    grounding_findings(ground(draft, [document]), report)
    counted, estimated = reply_tokens(path)
    article = article_tokens(document, chunk, language)
    ratio = max(counted, estimated) / article
    line = (f"reply {counted} tokens counted ({estimated:.0f} as recordings estimate them) for "
            f"{article} article tokens: ratio {ratio:.2f} (at most {MAX_RATIO}, aim {AIM_RATIO})")
    (report.errors if ratio > MAX_RATIO else report.warnings if ratio > AIM_RATIO else report.notes).append(line)
    return report


def merged_set(names: list[str]) -> tuple[Briefing, list[Document], list[tuple[Document, Chunk, ChunkExtraction]]]:
    """The set's extraction answers merged as the pipeline merges them."""
    documents = documents_of(tuple(names))
    parts = []
    for document in documents:
        for chunk in chunks_of(document):
            answer = ANSWERS / f"{document.id}.p{chunk.first_paragraph}-{chunk.last_paragraph}.json"
            if not answer.is_file():
                raise SystemExit(f"write {answer.relative_to(ROOT)} first: the synthesis answers the set's extractions")
            extraction = ChunkExtraction.model_validate(
                load(answer), context={"paragraphs": range(chunk.first_paragraph, chunk.last_paragraph + 1)})
            parts.append((document, chunk, extraction))
    merged = merge([(d, e) for d, _, e in parts], usage=Usage(), model=DEFAULT_MODEL,
                   prompt_version=prompt_version())
    return merged, documents, parts


def check_synthesis(path: Path, source_id: str, show_prompt: bool, language: str | None = None) -> Report:
    report = Report()
    names = find_set(source_id)
    merged, documents, parts = merged_set(names)
    if show_prompt:
        messages, _ = synthesis_request(merged, parts, language=language)
        print(messages[1]["content"])
    data = load(path)
    try:
        synthesis = Synthesis.model_validate(data, context=synthesis_context(merged))
    except ValidationError as error:
        report.errors += [f"invalid: {e['loc']}: {e['msg']}" for e in error.errors()]
        return report
    lint(data, report, synthesis=True)
    grounding_findings(ground(with_synthesis(merged, synthesis, Usage()), documents), report)
    article = sum(article_tokens(d, c, language) for d, c, _ in parts)
    counted, estimated = reply_tokens(path)
    ratio = max(counted, estimated) / article
    line = (f"synthesis {counted} tokens counted ({estimated:.0f} as recordings estimate them) for "
            f"{article} article tokens: ratio {ratio:.2f} (at most {MAX_RATIO}, aim {AIM_RATIO})")
    (report.errors if ratio > MAX_RATIO else report.warnings if ratio > AIM_RATIO else report.notes).append(line)
    replies = [reply_tokens(ANSWERS / f"{d.id}.p{c.first_paragraph}-{c.last_paragraph}.json") for d, c, _ in parts]
    total = max(sum(c for c, _ in replies), sum(e for _, e in replies)) + max(counted, estimated)
    report.notes.append(f"the whole briefing, {len(replies) + 1} replies: {total:.0f} tokens for {article} "
                        f"article tokens, {total / article:.2f} (a synthesis is about the same size "
                        "whatever its articles': short sets stand higher)")
    return report


def check(path: Path, show_prompt: bool = False) -> Report:
    """An answer in another language (SOURCE-ID.pFIRST-LAST.LANG.json, as `--language LANG`
    asks) is checked the same way; its prompt carries the reply-language line."""
    if match := re.fullmatch(r"(.+)\.p(\d+)-(\d+)(?:\.([a-z]{2}))?\.json", path.name):
        return check_extraction(path, match[1], int(match[2]), int(match[3]), show_prompt, match[4])
    if match := re.fullmatch(r"(.+)\.synthesis(?:\.([a-z]{2}))?\.json", path.name):
        return check_synthesis(path, match[1], show_prompt, match[2])
    raise SystemExit(f"{path.name}: not SOURCE-ID.pFIRST-LAST[.LANG].json nor SOURCE-ID.synthesis[.LANG].json")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("answers", type=Path, nargs="+")
    parser.add_argument("--prompt", action="store_true", help="print the user message the answer answers")
    args = parser.parse_args()
    failed = False
    for path in args.answers:
        report = check(path, args.prompt)
        failed |= bool(report.errors)
        print(f"{'FAIL' if report.errors else 'ok'}  {path.name}")
        for kind, lines in (("error", report.errors), ("warning", report.warnings), ("note", report.notes)):
            for line in lines:
                print(f"  {kind}: {line}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
