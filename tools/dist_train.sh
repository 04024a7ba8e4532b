#!/usr/bin/env bash
# Multi-process training with torchrun: bash tools/dist_train.sh CONFIG NUM_PROCESSES [train.py args]
# One process per GPU (NCCL); on a machine without GPUs the processes use gloo on the CPU.
# Several nodes: set NNODES, NODE_RANK, MASTER_ADDR and PORT on each node (tools/torchrun_args.sh).
# PYTHON picks the interpreter (default: python on PATH, e.g. an activated venv).
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: bash tools/dist_train.sh CONFIG NUM_PROCESSES [train.py options]" >&2; exit 2
fi
CONFIG=$1
NPROC=$2
shift 2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/torchrun_args.sh"
"${TORCHRUN[@]}" "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "$@"
