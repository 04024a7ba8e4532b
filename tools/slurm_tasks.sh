# Sourced by tools/slurm_train.sh and slurm_test.sh with ROOT set.
# slurm_run PARTITION JOB_NAME GPUS TOOL [TOOL ARGS]: srun one task per GPU, each running
# tools/TOOL TOOL_ARGS (GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS, PYTHON: see slurm_train.sh).
slurm_run() {
  local partition=$1 job_name=$2 gpus=$3 tool=$4
  shift 4
  case "$gpus" in
    ''|*[!0-9]*|0) echo "error: GPUS must be a number of GPUs >= 1, got '$gpus'" >&2; exit 2 ;;
  esac
  local per_node=${GPUS_PER_NODE:-$(( gpus < 8 ? gpus : 8 ))}
  case "$per_node" in
    ''|*[!0-9]*|0) echo "error: GPUS_PER_NODE must be >= 1, got '$per_node'" >&2; exit 2 ;;
  esac
  if [ $(( gpus % per_node )) -ne 0 ]; then
    echo "error: GPUS=$gpus is not a multiple of GPUS_PER_NODE=$per_node; set GPUS_PER_NODE" \
      "to the GPUs per node that the job uses" >&2
    exit 2
  fi
  export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
  export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
  # shellcheck disable=SC2086  # SRUN_ARGS is a list of options
  srun -p "$partition" --job-name="$job_name" --gres="gpu:$per_node" --ntasks="$gpus" \
    --ntasks-per-node="$per_node" --cpus-per-task="${CPUS_PER_TASK:-5}" --kill-on-bad-exit=1 \
    ${SRUN_ARGS:-} "${PYTHON:-python}" -u "$ROOT/tools/$tool" "$@"
}
