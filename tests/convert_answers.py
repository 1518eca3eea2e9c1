"""Rewrite hand-written extraction answers of the earlier reply contract (excerpts as
{"paragraph", "excerpt"} objects, actors, positions, quotes, facts and events as objects, a claim's
rebuttal as three fields) into the compact contract (briefer/core/models/compact.py). Mechanical:
every value is kept, only the shape changes, and the result is checked to expand into exactly the
reading the file held before. An answer already compact is left as it is.

    python tests/convert_answers.py fixtures/answers/*.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.core.models import ChunkExtraction  # noqa: E402
from briefer.core.models.compact import BAR, EVENT_FIELDS, FACT_FIELDS, ChunkReply  # noqa: E402

EXTRACTION = re.compile(r".+\.p\d+-\d+(?:\.[a-z]{2})?\.json")


def cited(items: list[Any]) -> list[Any]:
    return [f"{c['paragraph']}: {c['excerpt']}" if isinstance(c, dict) else c for c in items]


def actor(item: Any) -> Any:
    if isinstance(item, str):
        return item
    fields = [item[f] or "" for f in ("id", "name", "role", "affiliation")]
    if any("|" in f for f in fields + item["aliases"]) or any(";" in a for a in item["aliases"]):
        raise SystemExit(f"actor {item['id']}: a bar or semicolon in a field; convert it by hand")
    return BAR.join([item["id"], item["name"], item["kind"], item["role"] or "", item["affiliation"] or "",
                     "; ".join(item["aliases"])])


def position(item: Any) -> Any:
    if isinstance(item, str):
        return item
    fields = [item["actor_id"], item["stance"], item["attributed_by"], *cited(item["evidence"])]
    if any("|" in f for f in fields):
        raise SystemExit(f"position of {item['actor_id']}: a bar in a field; convert it by hand")
    return BAR.join(fields)


def quote(item: Any) -> Any:
    if isinstance(item, str):
        return item
    words = f"{item['begins']} … {item['ends']}" if item["begins"] != item["ends"] else item["begins"]
    return BAR.join([item["speaker_id"], f"{item['paragraph']}: {words}", item["attributed_by"]])


def line(item: Any, names: tuple[str, ...], what: str) -> Any:
    """A fact or an event as one line: its fields (null as empty), then its excerpts."""
    if isinstance(item, str):
        return item
    fields = [item[name] or "" for name in names] + cited(item["evidence"])
    if any("|" in f for f in fields):
        raise SystemExit(f"{what} '{fields[0]}': a bar in a field; convert it by hand")
    return BAR.join(fields)


def claim(item: dict[str, Any]) -> dict[str, Any]:
    if "disputed_by" not in item:
        return dict(item, evidence=cited(item["evidence"]))
    rebuttal = None
    if item["disputed_by"] or item["rebuttal"] or item["rebuttal_by"]:
        rebuttal = {"by": item["disputed_by"], "attributed_by": item["rebuttal_by"] or "",
                    "evidence": cited(item["rebuttal"])}
    return {"claim": item["claim"], "status": item["status"], "asserted_by": item["asserted_by"],
            "attributed_by": item["attributed_by"], "evidence": cited(item["evidence"]), "rebuttal": rebuttal}


def convert(data: dict[str, Any]) -> dict[str, Any]:
    def with_cites(item: dict[str, Any]) -> dict[str, Any]:
        return dict(item, evidence=cited(item["evidence"]))

    out = dict(data, bottom_line=with_cites(data["bottom_line"]))
    for name in ("key_points", "findings"):
        out[name] = [with_cites(item) for item in data[name]]
    out["facts"] = [line(item, FACT_FIELDS[0], "fact") for item in data["facts"]]
    out["events"] = [line(item, EVENT_FIELDS[0], "event") for item in data["events"]]
    out["positions"] = [position(item) for item in data["positions"]]
    out["disputed_claims"] = [claim(item) for item in data["disputed_claims"]]
    out["actors"] = [actor(item) for item in data["actors"]]
    out["quotes"] = [quote(item) for item in data["quotes"]]
    return {name: out[name] for name in ChunkReply.model_fields}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("answers", type=Path, nargs="+")
    args = parser.parse_args()
    for path in args.answers:
        if not EXTRACTION.fullmatch(path.name):
            print(f"skipped {path.name}: not an extraction answer")
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        compact = convert(data)
        ChunkReply.model_validate(compact)
        if ChunkExtraction.model_validate(compact) != ChunkExtraction.model_validate(data):
            raise SystemExit(f"{path.name}: the compact answer does not expand into the same reading")
        if compact != data:
            path.write_text(json.dumps(compact, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"converted {path.name}")
        else:
            print(f"unchanged {path.name}: already compact")


if __name__ == "__main__":
    main()
