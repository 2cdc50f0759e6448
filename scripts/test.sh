#!/usr/bin/env bash
# Sets up and runs Neurite's whole test suite against ../shared (the models and data sets).
#   --full  also the long runs: accuracy on all 10,000 test images for the CPU target, and the
#           tests marked [Trait("Category", "Full")] (the quantisation accuracy table in
#           artifacts/quantization/accuracy.md, mixed precision on the whole test set), which the
#           default suite leaves out; about 10 minutes more.
filter=(--filter "Category!=Full")
if [ "${1:-}" = "--full" ]; then
  export NEURITE_FULL_ACCURACY=1
  filter=()
  shift
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
setup
require_shared
cd "$root"

say "building"
build_quietly Compiler.sln -c Release

say "testing"
rm -rf artifacts/conformance artifacts/passes
status=0
dotnet test Compiler.sln -c Release --no-build --nologo -v q "${filter[@]}" \
  --logger "console;verbosity=minimal" || status=$?

if compgen -G "artifacts/conformance/*.txt" >/dev/null; then
  say "ONNX backend conformance (per suite)"
  for report in artifacts/conformance/*.txt; do head -n 1 "$report" | sed 's/^/  /'; done
fi
if [ -f artifacts/passes/default-pipeline.md ]; then
  say "default optimisation pipeline over ../shared/models (artifacts/passes/default-pipeline.md)"
  awk -F'|' 'NR > 2 { models++; before += $3; after += $4 } END { printf "  %d models: %d nodes before, %d after\n", models, before, after }' \
    artifacts/passes/default-pipeline.md
fi
exit "$status"
