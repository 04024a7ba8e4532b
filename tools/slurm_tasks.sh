# Sourced by tools/slurm_train.sh and slurm_test.sh with GPUS and ROOT set: checks GPUS and
# GPUS_PER_NODE, exports the tasks' environment and sets SRUN_TASKS, srun's task layout.
case "$GPUS" in
  ''|*[!0-9]*|0) echo "error: GPUS must be a number of GPUs >= 1, got '$GPUS'" >&2; exit 2 ;;
esac
GPUS_PER_NODE=${GPUS_PER_NODE:-$(( GPUS < 8 ? GPUS : 8 ))}
case "$GPUS_PER_NODE" in
  ''|*[!0-9]*|0) echo "error: GPUS_PER_NODE must be >= 1, got '$GPUS_PER_NODE'" >&2; exit 2 ;;
esac
if [ $(( GPUS % GPUS_PER_NODE )) -ne 0 ]; then
  echo "error: GPUS=$GPUS is not a multiple of GPUS_PER_NODE=$GPUS_PER_NODE; set GPUS_PER_NODE" \
    "to the GPUs per node that the job uses" >&2
  exit 2
fi
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
SRUN_TASKS=(--gres="gpu:$GPUS_PER_NODE" --ntasks="$GPUS" --ntasks-per-node="$GPUS_PER_NODE"
            --cpus-per-task="${CPUS_PER_TASK:-5}" --kill-on-bad-exit=1)
