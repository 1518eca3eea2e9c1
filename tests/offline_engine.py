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

from briefer.batch.state import batch_body  # noqa: E402
from briefer.llm.recording import recorded_completion, request_key  # noqa: E402


def recorded_answers(*folders: Path) -> dict[str, dict[str, Any]]:
    """The key of a request as a batch sends it -> the recorded answer as one chat completion
    body (a recording of a streamed answer keeps its events; a batch answers with a body)."""
    answers = {}
    for folder in folders:
        for path in folder.glob("*.json"):
            recording = json.loads(path.read_text(encoding="utf-8"))
            request = recording["request"]["body"]
            answers[request_key(batch_body(request))] = completion_body(recording)
    return answers


def completion_body(recording: dict[str, Any]) -> dict[str, Any]:
    answer = recorded_completion(recording)
    return {"id": f"chatcmpl-{recording['key'][:12]}", "object": "chat.completion", "created": 1764633600,
            "model": recording["request"]["body"].get("model", "unknown"),
            "choices": [{"index": 0, "finish_reason": answer.finish_reason, "logprobs": None,
                         "message": {"role": "assistant", "content": answer.content, "refusal": answer.refusal}}],
            "usage": answer.usage}


def answer_file(requests: Path, output: Path, answers: dict[str, dict[str, Any]]) -> int:
    """Write the output file; returns how many requests had no answer (reported as errors)."""
    rows, missing = [], 0
    for number, line in enumerate(requests.read_text(encoding="utf-8").splitlines()):
        if not line.strip():
            continue
        request = json.loads(line)
        body = answers.get(request_key(batch_body(request["body"])))
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
