#!/usr/bin/env bash
# Trains the 256 px bundled garment pack (train.py's PACK256, `--config pack256`) on a lent GPU
# machine, from the repository root, and leaves the compact checkpoint under $OUT/checkpoint.
#
#     bash tools/models/garment/train-gpu.sh [MINUTES]        # MINUTES of training (default 8)
#
# What the machine needs (it has no internet, so nothing is installed here):
#   - Python 3.10+ with a CUDA build of torch, plus diffusers, transformers, safetensors, numpy and
#     Pillow (tools/models/requirements.txt). tools/models/.venv/bin/python is used when it exists and
#     its torch sees the GPU, else python3. The build machine's venv has a CPU torch: carry it only
#     if the lent machine has none of its own.
#   - The sketch cache tools/models/.cache/garment-sketches/256 (git-ignored, about 6 MB). When it is
#     missing the script makes it with `python -m tools.models cache garment-sketches --size 256`,
#     which needs Node, the repository's node_modules (npm ci) and the shared data's
#     garment_flats/flats_svg. Where Node is absent, make the cache on the build machine and carry the
#     folder (the run tool's carry: ["tools/models/.cache/garment-sketches/256"]).
#
# Settings (environment): OUT (default ./out-gpu), BATCH (32), WORKERS (CPU cores - 2: the data are
# drawn on the CPU, one sample about 0.05 s at 256 px), CHECKPOINT_EVERY (seconds, 120: a run cut
# short still leaves a checkpoint), DEVICE (cuda), ALLOW_CPU=1 to run without a GPU (a smoke test),
# EXTRA_ARGS (more `train garment` options, e.g. "--config-set image=64" for a smoke test).
#
# Files coming back from a lent machine are limited to 16 MiB each; the checkpoint's fp16 shards are
# at most 15 MB. Then, on the build machine (the toolchain's own torch and ONNX exporter):
#
#     tools/models/.venv/bin/python -m tools.models train garment --out DIR --from-checkpoint CHECKPOINT \
#         --training-command "bash tools/models/garment/train-gpu.sh MINUTES"
#
# which rebuilds the pack256 model from the configuration the checkpoint stores, writes DIR/model and
# the ONNX pack DIR/pack (sketch_encoder.onnx included) and scores it into DIR/pack/MODEL_CARD.md.
set -euo pipefail

MINUTES="${1:-${MINUTES:-8}}"
OUT="${OUT:-$PWD/out-gpu}"
BATCH="${BATCH:-32}"
DEVICE="${DEVICE:-cuda}"
CHECKPOINT_EVERY="${CHECKPOINT_EVERY:-120}"
CORES="$(nproc 2>/dev/null || echo 4)"
WORKERS="${WORKERS:-$(( CORES > 3 ? CORES - 2 : 1 ))}"
SIZE=256
CACHE="tools/models/.cache/garment-sketches/$SIZE"

if [ ! -f tools/models/garment/train.py ]; then
  echo "run this from the repository root (tools/models/garment/train.py not found in $PWD)" >&2
  exit 2
fi
mkdir -p "$OUT"

# A Python whose torch sees the GPU (or any torch with ALLOW_CPU=1).
PY=""
for candidate in tools/models/.venv/bin/python python3 python; do
  command -v "$candidate" >/dev/null 2>&1 || [ -x "$candidate" ] || continue
  if [ "$DEVICE" = "cuda" ] && [ "${ALLOW_CPU:-0}" != "1" ]; then
    "$candidate" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" >/dev/null 2>&1 || continue
  else
    "$candidate" -c "import torch" >/dev/null 2>&1 || continue
  fi
  PY="$candidate"
  break
done
if [ -z "$PY" ]; then
  echo "no Python with torch that sees a GPU (tried tools/models/.venv/bin/python, python3, python);" >&2
  echo "install a CUDA torch and tools/models/requirements.txt, or set ALLOW_CPU=1 DEVICE=cpu for a smoke test" >&2
  exit 3
fi
if [ "${ALLOW_CPU:-0}" = "1" ] && [ "$DEVICE" = "cuda" ] && ! "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
  DEVICE=cpu
fi
"$PY" -c "import torch, diffusers, transformers, safetensors, PIL; print('python', __import__('sys').version.split()[0], 'torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"

# The sketch cache the pack256 data read.
if [ ! -f "$CACHE/index.json" ]; then
  if command -v node >/dev/null 2>&1 && [ -d node_modules ]; then
    echo "no sketch cache at $CACHE: drawing it with the studio's TypeScript"
    "$PY" -m tools.models cache garment-sketches --size "$SIZE"
  else
    echo "no sketch cache at $CACHE, and no Node/node_modules here to draw it: make it on the build machine" >&2
    echo "(tools/models/.venv/bin/python -m tools.models cache garment-sketches --size $SIZE) and carry that folder" >&2
    exit 4
  fi
fi

echo "training pack256 for $MINUTES min on $DEVICE, batch $BATCH, $WORKERS data workers -> $OUT/checkpoint"
# shellcheck disable=SC2086
"$PY" -m tools.models train garment --config pack256 --out "$OUT/run" --device "$DEVICE" --workers "$WORKERS" \
  --batch "$BATCH" --minutes "$MINUTES" --checkpoint-only --checkpoint "$OUT/checkpoint" \
  --checkpoint-every "$CHECKPOINT_EVERY" --no-nice --threads "${THREADS:-4}" ${EXTRA_ARGS:-} 2>&1 | tee "$OUT/train.log"
rm -rf "$OUT/run"  # only the tokenizer files; the checkpoint is what comes back
ls -l "$OUT/checkpoint"
