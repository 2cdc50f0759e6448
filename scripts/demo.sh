#!/usr/bin/env bash
# Neurite's main job on the bundled sample: set up, build, inspect the model, run it in the
# reference interpreter, compile it for every target (today: the CPU target, as float32 C and,
# after post-training quantisation, as integer-only C), run every emitted artifact in its
# simulator next to the interpreter, and summarise.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
setup
cd "$root"

say "building Neurite"
build_quietly driver/Neurite.Cli/Neurite.Cli.csproj -c Release

model=samples/bars/bars.onnx
program=samples/bars/bars.nrt             # the same network, written by hand in the Neurite language
images=samples/bars/images.npy            # two bars across, two bars down, one line across, one line down
labels=samples/bars/labels.npy            # class 0 = horizontal, 1 = vertical
calibration=samples/bars/calibration.npy  # single lines at other rows and columns: never the scored images
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

say "neurite inspect $model"
./neurite inspect "$model"

say "neurite run $program (reference interpreter), checked against the sample's labels"
./neurite run "$program" --input image="$images" --labels "$labels" --output-dir out/bars | tee "$logs/float-run"

say "neurite compile $program --target cpu -o out/bars-cpu (portable C: model.c, model.h, main.c, Makefile)"
./neurite compile "$program" --target cpu -o out/bars-cpu --dim N=4 | tee "$logs/float-compile"

say "neurite simulate out/bars-cpu (the emitted C, built with cc -O3 -march=native), compared with the interpreter"
./neurite simulate out/bars-cpu --input image="$images" --labels "$labels" --output-dir out/bars-cpu-outputs --compare out/bars \
  | tee "$logs/float-simulate"

say "neurite quantize $program (int8, calibrated on $calibration, scored on the test images)"
./neurite quantize "$program" --calib "$calibration" --eval "$images" --labels "$labels" \
  -o out/bars-int8.nrt --report out/bars-int8-report.json | tee "$logs/quantize"

say "neurite run out/bars-int8.nrt (the integer graph in the reference interpreter)"
./neurite run out/bars-int8.nrt --input image="$images" --labels "$labels" --output-dir out/bars-int8 | tee "$logs/int8-run"

say "neurite compile out/bars-int8.nrt --target cpu -o out/bars-int8-cpu (integer-only C)"
./neurite compile out/bars-int8.nrt --target cpu -o out/bars-int8-cpu --dim N=4 | tee "$logs/int8-compile"

say "neurite simulate out/bars-int8-cpu, compared with the interpreter on the integer graph"
./neurite simulate out/bars-int8-cpu --input image="$images" --labels "$labels" --output-dir out/bars-int8-cpu-outputs --compare out/bars-int8 \
  | tee "$logs/int8-simulate"

# What each log says, for the summary.
accuracy() { grep -m1 '^accuracy:' "$1" | sed 's/^accuracy: //'; }
metric() { awk -v name="$2" '$1 == name { print $2 }' "$1"; }
difference() { awk '/max \|difference\|/ { found = 1; next } found && NF >= 3 && $1 !~ /^-+$/ { print $NF }' "$1" | paste -sd ' ' -; }

say "summary: bars on the reference interpreter and on every target"
row() { printf '%-9s %-34s %-20s %-24s %-13s %s\n' "$@"; }
row "numbers" "runs on" "accuracy" "max |diff| vs reference" "weight bytes" "arena bytes"
row "float32" "reference interpreter" "$(accuracy "$logs/float-run")" "(the reference)" "-" "-"
row "float32" "cpu: emitted C (out/bars-cpu)" "$(accuracy "$logs/float-simulate")" "$(difference "$logs/float-simulate")" \
  "$(metric "$logs/float-compile" weight_bytes)" "$(metric "$logs/float-compile" arena_bytes)"
row "int8" "reference interpreter" "$(accuracy "$logs/int8-run")" "(the reference)" "-" "-"
row "int8" "cpu: integer C (out/bars-int8-cpu)" "$(accuracy "$logs/int8-simulate")" "$(difference "$logs/int8-simulate")" \
  "$(metric "$logs/int8-compile" weight_bytes)" "$(metric "$logs/int8-compile" arena_bytes)"
