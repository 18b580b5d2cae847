package dev.logitscope.eval;

/**
 * A statistic over seeds.
 *
 * @param mean the mean
 * @param std  the sample standard deviation (n − 1); 0 for a single value
 * @param min  the smallest value
 * @param max  the largest value
 * @param n    how many values (seeds where the statistic is defined)
 */
public record Spread(double mean, double std, double min, double max, int n) {

    /** The spread of {@code values}; null when there are none. */
    public static Spread of(double[] values) {
        if (values.length == 0) {
            return null;
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0;
        return new Spread(mean, std, min, max, values.length);
    }
}
