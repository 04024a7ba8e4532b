#!/usr/bin/env bash
# Testing under Slurm: bash tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT GPUS [test.py options]
# One task per GPU, as tools/slurm_train.sh (GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS, PYTHON).
set -euo pipefail
if [ $# -lt 5 ]; then
  echo "usage: bash tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT GPUS [test.py options]" >&2
  exit 2
fi
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
CHECKPOINT=$4
GPUS=$5
shift 5
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tools/slurm_tasks.sh"
# shellcheck disable=SC2086  # SRUN_ARGS is a list of options
srun -p "$PARTITION" --job-name="$JOB_NAME" "${SRUN_TASKS[@]}" ${SRUN_ARGS:-} \
  "${PYTHON:-python}" -u "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" --launcher slurm "$@"
