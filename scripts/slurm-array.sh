#!/usr/bin/env bash
# A normsim sweep as a Slurm job array, without MPI: each array task runs one shard, and a final
# job, started when all tasks have succeeded, merges the shards into one HDF5 file that is
# bit-identical to a single-process run.
#
#   sbatch --array=0-15 scripts/slurm-array.sh scenarios/sweep_norms_spill.toml results/sweep.h5
#
# The shards go next to the output; re-submitting after a failure resumes each shard (--resume).
#SBATCH --job-name=normsim
#SBATCH --cpus-per-task=8
#SBATCH --time=02:00:00
set -euo pipefail
scenario=$1
output=$2
normsim=${NORMSIM:-build/release/sim/cli/normsim}
count=${SLURM_ARRAY_TASK_COUNT:?run with sbatch --array=0-(N-1)}
index=${SLURM_ARRAY_TASK_ID:?run with sbatch --array}

"$normsim" run "$scenario" --shard "$index/$count" -o "$output.shard-$index-of-$count" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" --resume --quiet

# The last task to finish submits nothing itself; instead the first task queues the merge, which
# waits for the whole array (afterok) and then combines the shards.
if [[ $index -eq 0 ]]; then
  shards=()
  for ((i = 0; i < count; i++)); do shards+=("$output.shard-$i-of-$count"); done
  sbatch --dependency="afterok:${SLURM_ARRAY_JOB_ID}" --job-name=normsim-merge \
    --wrap "$normsim merge ${shards[*]} -o $output"
fi
