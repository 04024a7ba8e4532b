#!/usr/bin/env bash
# Multi-process testing with torchrun: bash tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCESSES [test.py args]
# Several nodes as tools/dist_train.sh (NNODES, NODE_RANK, MASTER_ADDR, PORT); PYTHON picks the
# interpreter (default: python on PATH, e.g. an activated venv).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: bash tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCESSES [test.py options]" >&2; exit 2
fi
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
shift 3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/torchrun_args.sh"
"${TORCHRUN[@]}" "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
