#!/usr/bin/env bash
# Neurite's main job on the bundled sample: set up, build, inspect the model, run it in the
# reference interpreter, compile it for the CPU target, run the emitted C, and summarise.
source "$(dirname "${BASH_SOURCE[0]}")/lib/setup.sh"
setup
cd "$root"

say "building Neurite"
build_quietly driver/Neurite.Cli/Neurite.Cli.csproj -c Release

model=samples/bars/bars.onnx
say "neurite inspect $model"
./neurite inspect "$model"

say "neurite run $model (reference interpreter), checked against the sample's labels"
./neurite run "$model" --input image=samples/bars/images.npy --labels samples/bars/labels.npy --output-dir out/bars
echo "(images: two bars across, two bars down, one line across, one line down; class 0 = horizontal, 1 = vertical)"

# The same network written by hand in the Neurite language (samples/bars/bars.nrt, docs/dsl.md).
program=samples/bars/bars.nrt
say "neurite inspect $program (hand-written in the Neurite language)"
./neurite inspect "$program"
say "neurite run $program, checked against the same labels"
./neurite run "$program" --input image=samples/bars/images.npy --labels samples/bars/labels.npy --output-dir out/bars-nrt
# --- CPU target: compile the sample to C, run the emitted code natively next to the interpreter ---
say "neurite compile $program --target cpu -o out/bars-cpu (portable C: model.c, model.h, main.c, Makefile)"
./neurite compile "$program" --target cpu -o out/bars-cpu --dim N=4
say "neurite simulate out/bars-cpu (the emitted C, compiled with cc -O3 -march=native), compared with the interpreter's outputs"
cpu_log="$(mktemp)"
./neurite simulate out/bars-cpu --input image=samples/bars/images.npy --labels samples/bars/labels.npy --output-dir out/bars-cpu-outputs --compare out/bars-nrt | tee "$cpu_log"
say "summary: reference interpreter vs the CPU target's emitted C"
printf '%-28s %s\n' "artifact" "out/bars-cpu ($(grep -c . out/bars-cpu/model.c) lines of C)"
printf '%-28s %s\n' "accuracy (emitted C)" "$(grep -m1 -i 'accuracy' "$cpu_log" | sed 's/^ *//')"
printf '%-28s %s\n' "max |C - interpreter|" "$(awk '/max \|difference\|/ {found=1; next} found && NF >= 3 && $1 !~ /^-+$/ {print $1 ": " $NF}' "$cpu_log" | paste -sd ' ' -)"
rm -f "$cpu_log"
