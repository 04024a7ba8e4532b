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
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
GPUS=$4
shift 4
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/slurm_tasks.sh"
# shellcheck disable=SC2086  # SRUN_ARGS is a list of options
srun -p "$PARTITION" --job-name="$JOB_NAME" "${SRUN_TASKS[@]}" ${SRUN_ARGS:-} \
  "${PYTHON:-python}" -u "$ROOT/tools/train.py" "$CONFIG" --launcher slurm "$@"
