package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.Shard;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which shard a process runs: --shard, a SLURM array task, a Kubernetes Indexed Job. */
class ShardSelectionTest {

    @Test
    void theOptionCountsFromZero() {
        assertThat(ShardSelection.resolve("2/4", null, Map.of()).shard()).isEqualTo(new Shard(2, 4));
        assertThat(ShardSelection.resolve(" 0/1 ", null, Map.of()).shard().whole()).isTrue();
        assertThatThrownBy(() -> ShardSelection.resolve("4/4", null, Map.of())).isInstanceOf(EvalException.class)
                .hasMessageContaining("numbered from 0").hasMessageContaining("0/4 … 3/4");
        assertThatThrownBy(() -> ShardSelection.resolve("1of4", null, Map.of())).hasMessageContaining("I/N");
        assertThatThrownBy(() -> ShardSelection.resolve("a/4", null, Map.of())).hasMessageContaining("whole numbers");
        // the option wins over the scheduler's variables
        assertThat(ShardSelection.resolve("1/2", null, Map.of("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4"))
                .shard()).isEqualTo(new Shard(1, 2));
    }

    @Test
    void aSlurmTaskIsCountedFromTheArraysFirstIndex() {
        // sbatch --array=0-3
        assertThat(slurm("0", "0", "3", "4")).isEqualTo(new Shard(0, 4));
        assertThat(slurm("3", "0", "3", "4")).isEqualTo(new Shard(3, 4));
        // sbatch --array=1-4: task 1 is shard 0
        assertThat(slurm("1", "1", "4", "4")).isEqualTo(new Shard(0, 4));
        assertThat(slurm("4", "1", "4", "4")).isEqualTo(new Shard(3, 4));
        // sbatch --array=0-30:10 (ids 0, 10, 20, 30)
        assertThat(slurm("20", "0", "30", "4")).isEqualTo(new Shard(2, 4));
        // --array=0-7%2 (at most 2 at a time) is still 8 shards
        assertThat(slurm("7", "0", "7", "8")).isEqualTo(new Shard(7, 8));
        // an uneven list (--array=1,3,7) has no index to read
        assertThatThrownBy(() -> slurm("3", "1", "7", "3")).hasMessageContaining("not an evenly spaced array");
        // without the count: from min and max
        assertThat(ShardSelection.resolve(null, null, Map.of("SLURM_ARRAY_TASK_ID", "5", "SLURM_ARRAY_TASK_MIN", "5",
                "SLURM_ARRAY_TASK_MAX", "6")).shard()).isEqualTo(new Shard(0, 2));
        assertThatThrownBy(() -> ShardSelection.resolve(null, null, Map.of("SLURM_ARRAY_TASK_ID", "5")))
                .hasMessageContaining("SLURM_ARRAY_TASK_COUNT");
    }

    @Test
    void aKubernetesIndexNeedsTheCount() {
        assertThat(ShardSelection.resolve(null, 8, Map.of("JOB_COMPLETION_INDEX", "7")).shard()).isEqualTo(new Shard(7, 8));
        assertThatThrownBy(() -> ShardSelection.resolve(null, null, Map.of("JOB_COMPLETION_INDEX", "7")))
                .hasMessageContaining("--shard-count");
        assertThatThrownBy(() -> ShardSelection.resolve(null, 8, Map.of("JOB_COMPLETION_INDEX", "8")))
                .hasMessageContaining("numbered from 0");
        assertThatThrownBy(() -> ShardSelection.resolve(null, 8, Map.of())).hasMessageContaining("needs the shard's index");
    }

    @Test
    void nothingSetIsTheWholeRun() {
        assertThat(ShardSelection.resolve(null, null, Map.of("HOME", "/root")).shard()).isEqualTo(Shard.WHOLE);
    }

    private static Shard slurm(String id, String min, String max, String count) {
        return ShardSelection.resolve(null, null, Map.of("SLURM_ARRAY_TASK_ID", id, "SLURM_ARRAY_TASK_MIN", min,
                "SLURM_ARRAY_TASK_MAX", max, "SLURM_ARRAY_TASK_COUNT", count)).shard();
    }
}
