#!/usr/bin/env bash
# Regenerates the C# parser of the Neurite language (frontend/Dsl/Generated) from
# frontend/Dsl/Neurite.g4 with antlr-ng (pure Node, no Java), and records the grammar's
# sha256 and the generated files' sha256 in Generated/GRAMMAR.sha256. A test compares that
# record with the files, so an edited grammar without regenerated code fails the build's tests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dsl="$root/frontend/Dsl"
antlr_ng_version=1.0.10   # emits code for the Antlr4.Runtime.Standard 4.13 runtime

if ! command -v npx >/dev/null 2>&1; then
  echo "generate-parser.sh needs Node.js (npx) to run antlr-ng" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$dsl/Neurite.g4" "$work/"
(cd "$work" && npx --yes "antlr-ng@$antlr_ng_version" -Dlanguage=CSharp --package Neurite.Frontend.Dsl.Generated \
  --generate-listener false --generate-visitor false -w true -o out Neurite.g4 >/dev/null)

rm -rf "$dsl/Generated"
mkdir -p "$dsl/Generated"
for file in "$work"/out/*.cs; do
  # The generated classes are internal (the parse tree is the frontend's business), and lose
  # CLSCompliant, which warns (CS3021) in an assembly that does not declare CLS compliance.
  sed -e 's/^public partial class /internal partial class /' \
      -e 's/^public interface /internal interface /' \
      -e '/^\[System\.CLSCompliant(false)\]/d' \
    "$file" >"$dsl/Generated/$(basename "$file")"
done
(
  cd "$dsl"
  sha256sum Neurite.g4
  cd Generated
  sha256sum -- *.cs
) >"$dsl/Generated/GRAMMAR.sha256"
echo "regenerated $(ls "$dsl/Generated"/*.cs | wc -l) files in frontend/Dsl/Generated"
