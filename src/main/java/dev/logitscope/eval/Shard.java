package dev.logitscope.eval;

/**
 * One slice of a sharded evaluation: shard {@code index} of {@code count}, numbered from 0 as
 * SLURM's default arrays ({@code --array=0-3}) and Kubernetes' {@code JOB_COMPLETION_INDEX} number
 * their tasks. A count of 1 is the whole run.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1) {
            throw new EvalException("The number of shards must be at least 1, got " + count + ".");
        }
        if (index < 0 || index >= count) {
            throw new EvalException("Shard " + index + " of " + count + " does not exist: shards are numbered from 0,"
                    + " so " + count + " shards are 0/" + count + " … " + (count - 1) + "/" + count + ".");
        }
    }

    /** Parses {@code I/N}, e.g. {@code 2/8}. */
    public static Shard parse(String text) {
        String s = text == null ? "" : text.strip();
        int slash = s.indexOf('/');
        if (slash < 1 || slash == s.length() - 1) {
            throw new EvalException("--shard takes I/N (shard I of N, counted from 0, e.g. 0/4 … 3/4), not '" + text
                    + "'.");
        }
        try {
            return new Shard(Integer.parseInt(s.substring(0, slash).strip()), Integer.parseInt(s.substring(slash + 1).strip()));
        } catch (NumberFormatException e) {
            throw new EvalException("--shard takes I/N with whole numbers (e.g. 0/4), not '" + text + "'.");
        }
    }

    public boolean whole() {
        return count == 1;
    }

    /** {@code I/N}, as {@code --shard} takes it and the manifest records it. */
    public String spec() {
        return index + "/" + count;
    }
}
