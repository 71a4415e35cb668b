#!/usr/bin/env bash
# Runs every node:test file. Node 20's --test takes no globs, so the shell expands them; an empty
# expansion is an error rather than a silent pass with zero tests.
set -euo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
files=(test/**/*.test.ts emulator/test/**/*.test.ts)
if [ "$#" -gt 0 ]; then files=("$@"); fi
[ "${#files[@]}" -gt 0 ] || { echo "no test files found"; exit 1; }
exec node --import tsx --test --test-concurrency=3 --test-timeout=300000 "${files[@]}"
