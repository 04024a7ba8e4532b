#!/usr/bin/env bash
# Testing under Slurm: bash tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT GPUS [test.py options]
# One task per GPU, as tools/slurm_train.sh (GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS, PYTHON).
set -euo pipefail
if [ $# -lt 5 ]; then
  echo "usage: bash tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT GPUS [test.py options]" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/slurm_tasks.sh"
slurm_run "$1" "$2" "$5" test.py "$3" "$4" --launcher slurm "${@:6}"
