# Sourced by tools/dist_train.sh and dist_test.sh with NPROC and ROOT set: exports the processes'
# environment and sets TORCHRUN, the torchrun command up to the script it starts.
# One node without PORT: torchrun --standalone picks a free port, so two jobs on one machine do
# not collide. Several nodes (or PORT set): NNODES, NODE_RANK, MASTER_ADDR (node 0's address,
# default 127.0.0.1) and PORT (default 29500), the same on every node but NODE_RANK.
case "$NPROC" in
  ''|*[!0-9]*|0) echo "error: NUM_PROCESSES must be a number >= 1, got '$NPROC'" >&2; exit 2 ;;
esac
NNODES=${NNODES:-1}
if [ "$NNODES" = 1 ] && [ -z "${PORT:-}" ]; then
  RENDEZVOUS=(--standalone)
else
  RENDEZVOUS=(--nnodes="$NNODES" --node_rank="${NODE_RANK:-0}"
              --master_addr="${MASTER_ADDR:-127.0.0.1}" --master_port="${PORT:-29500}")
fi
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
TORCHRUN=("${PYTHON:-python}" -m torch.distributed.run "${RENDEZVOUS[@]}" --nproc_per_node="$NPROC")
