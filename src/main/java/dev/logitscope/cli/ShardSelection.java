package dev.logitscope.cli;

import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.Shard;
import java.util.Map;

/**
 * Which shard this process runs: {@code --shard I/N} when given, else the scheduler's variables —
 * a SLURM job array's task (its id counted from the array's first index, so {@code --array=1-4}
 * and {@code --array=0-3} both give shards 0..3; a step such as {@code 0-30:10} counts by the
 * step), or a Kubernetes Indexed Job's {@code JOB_COMPLETION_INDEX} with {@code --shard-count}.
 *
 * @param shard  the slice
 * @param source how it was chosen, for the log line
 */
record ShardSelection(Shard shard, String source) {

    static ShardSelection resolve(String option, Integer countOption, Map<String, String> env) {
        if (option != null) {
            if (countOption != null) {
                throw new EvalException("Give --shard I/N or --shard-count N, not both (--shard-count goes with the"
                        + " scheduler's index: JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID).");
            }
            return new ShardSelection(Shard.parse(option), "--shard " + option.strip());
        }
        String slurmId = env.get("SLURM_ARRAY_TASK_ID");
        if (present(slurmId)) {
            return slurm(slurmId, countOption, env);
        }
        String k8s = env.get("JOB_COMPLETION_INDEX");
        if (present(k8s)) {
            if (countOption == null) {
                throw new EvalException("JOB_COMPLETION_INDEX=" + k8s.strip() + " is set (a Kubernetes Indexed Job) but the"
                        + " number of shards is not: add --shard-count N, N = the Job's completions.");
            }
            int index = number("JOB_COMPLETION_INDEX", k8s);
            return new ShardSelection(new Shard(index, countOption), "JOB_COMPLETION_INDEX=" + index + " of --shard-count "
                    + countOption);
        }
        if (countOption != null) {
            throw new EvalException("--shard-count " + countOption + " needs the shard's index: run in a SLURM job array or"
                    + " a Kubernetes Indexed Job, or give --shard I/N instead.");
        }
        return new ShardSelection(Shard.WHOLE, "unsharded");
    }

    private static ShardSelection slurm(String idText, Integer countOption, Map<String, String> env) {
        int id = number("SLURM_ARRAY_TASK_ID", idText);
        int min = present(env.get("SLURM_ARRAY_TASK_MIN")) ? number("SLURM_ARRAY_TASK_MIN", env.get("SLURM_ARRAY_TASK_MIN")) : 0;
        Integer max = present(env.get("SLURM_ARRAY_TASK_MAX")) ? number("SLURM_ARRAY_TASK_MAX", env.get("SLURM_ARRAY_TASK_MAX"))
                : null;
        Integer count = countOption;
        if (count == null && present(env.get("SLURM_ARRAY_TASK_COUNT"))) {
            count = number("SLURM_ARRAY_TASK_COUNT", env.get("SLURM_ARRAY_TASK_COUNT"));
        } else if (count == null && max != null) {
            count = max - min + 1;
        }
        if (count == null) {
            throw new EvalException("SLURM_ARRAY_TASK_ID=" + id + " is set but not SLURM_ARRAY_TASK_COUNT: add --shard-count N"
                    + " (the array's task count) or --shard I/N.");
        }
        String where = "SLURM_ARRAY_TASK_ID=" + id + " (array " + min + (max == null ? "" : "-" + max) + ", " + count
                + " tasks)";
        int offset = id - min;
        int span = max == null ? count - 1 : max - min;
        if (count > 1 && span != count - 1) {
            // --array=0-30:10: ids min, min+step, …; any other list (1,3,7) has no index to read
            if (span % (count - 1) != 0 || offset % (span / (count - 1)) != 0) {
                throw new EvalException(where + " is not an evenly spaced array; number the tasks 0..N-1 (--array=0-"
                        + (count - 1) + ") or give --shard I/N.");
            }
            offset /= span / (count - 1);
        }
        if (offset < 0 || offset >= count) {
            throw new EvalException(where + " gives shard " + offset + ", outside 0.." + (count - 1)
                    + "; give --shard I/N (counted from 0) instead.");
        }
        return new ShardSelection(new Shard(offset, count), where);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new EvalException(name + "='" + value + "' is not a whole number; give --shard I/N instead.");
        }
    }
}
