#!/usr/bin/env bash
# Neurite's main job on the bundled sample: set up, build, inspect the model, run it in the
# reference interpreter, and summarise the result.
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
./neurite run "$program" --input image=samples/bars/images.npy --labels samples/bars/labels.npy
