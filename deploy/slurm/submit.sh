#!/usr/bin/env bash
# Queues an evaluation as N array tasks plus the merge after them.
#   RUN_DIR=/shared/runs/x LOGITSCOPE=/shared/logitscope/logitscope HF_HOME=/shared/hf \
#     deploy/slurm/submit.sh 32 --models gpt2,gpt2-xl --dataset /shared/aclImdb/test --shots 0,4
# Extra sbatch options (partition, account) go in SBATCH_* variables, e.g. SBATCH_PARTITION=cpu.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
n="${1:?usage: submit.sh SHARDS eval-options...}"
shift
: "${RUN_DIR:?set RUN_DIR}" "${LOGITSCOPE:?set LOGITSCOPE}"
export RUN_DIR LOGITSCOPE
array=$(sbatch --parsable --export=ALL --array="0-$((n - 1))" "$here/logitscope-array.sbatch" "$@")
merge=$(sbatch --parsable --export=ALL --dependency="afterany:${array%%;*}" "$here/logitscope-merge.sbatch")
echo "array job $array ($n shards), merge job $merge; results in $RUN_DIR/merged"
