"""A stand-in for an offline engine that reads OpenAI's batch format (as vLLM's batch runner
does): it reads a Batch JSONL file of requests and writes the output file, answering each request
from a folder of recordings (keyed as briefer keys them), so a test can run the
`submit --file-only` / `collect --results` path offline.

    python tests/offline_engine.py REQUESTS.jsonl -o OUTPUT.jsonl --recordings DIR
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.recording import request_key  # noqa: E402


def recorded_answers(*folders: Path) -> dict[str, dict[str, Any]]:
    """Request key -> the recorded chat completion, from every recording in the folders."""
    answers = {}
    for folder in folders:
        for path in folder.glob("*.json"):
            recording = json.loads(path.read_text(encoding="utf-8"))
            answers[recording["key"]] = recording["response"]["body"]
    return answers


def answer_file(requests: Path, output: Path, answers: dict[str, dict[str, Any]]) -> int:
    """Write the output file; returns how many requests had no answer (reported as errors)."""
    rows, missing = [], 0
    for number, line in enumerate(requests.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        request = json.loads(line)
        body = answers.get(request_key(request["body"]))
        if body is None:
            missing += 1
            rows.append({"id": f"vllm-{number}", "custom_id": request["custom_id"], "response": None,
                         "error": {"code": "no_answer", "message": "no recording for this request"}})
        else:
            rows.append({"id": f"vllm-{number}", "custom_id": request["custom_id"], "error": None,
                         "response": {"status_code": 200, "request_id": f"vllm-{number}", "body": body}})
    output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requests", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--recordings", type=Path, action="append", required=True)
    args = parser.parse_args()
    missing = answer_file(args.requests, args.output, recorded_answers(*args.recordings))
    print(f"answered {args.output} ({missing} without an answer)")


if __name__ == "__main__":
    main()
