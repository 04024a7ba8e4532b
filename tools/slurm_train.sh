#!/usr/bin/env bash
# Training under Slurm: bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG GPUS [train.py options]
# srun starts one task per GPU, GPUS_PER_NODE per node (default: GPUS, at most 8) with
# CPUS_PER_TASK cores each (default 5); every task runs tools/train.py --launcher slurm, which
# takes its rank from SLURM_PROCID and the first node of the job as MASTER_ADDR (MASTER_PORT
# default 29500: set it apart for two jobs on one node). SRUN_ARGS adds srun options, e.g.
# SRUN_ARGS="--time=2:00:00"; PYTHON picks the interpreter.
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG GPUS [train.py options]" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/slurm_tasks.sh"
slurm_run "$1" "$2" "$4" train.py "$3" --launcher slurm "${@:5}"
