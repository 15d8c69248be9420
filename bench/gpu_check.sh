#!/usr/bin/env bash
# The GPU check, on a machine with a GPU (under 5 minutes): the GPU-marked tests, then
# the parallel benchmark's quick look, written to reports/benchmarks/parallel-gpu.md
# with the GPU named. Run from a checkout with the test extras installed.
set -euo pipefail
cd "$(dirname "$0")/.."
python -c "import tensorflow as tf, sys; sys.exit(not tf.config.list_physical_devices('GPU'))" \
  || { echo "gpu_check: TensorFlow sees no GPU here" >&2; exit 2; }
python -m pytest -m gpu -p no:cacheprovider -q
python bench/parallel.py --workers 1,2,4 --trials 10 --repeats 1 --table reports/benchmarks/parallel-gpu.md
