package dev.logitscope.eval;

/**
 * The 95% Wilson score interval of a proportion (Wilson 1927): the interval of the true rate p
 * for which the observed rate is within z standard errors, {@code (p̂ + z²/2n ± z·√(p̂(1−p̂)/n +
 * z²/4n²)) / (1 + z²/n)}. Unlike p̂ ± z·√(p̂(1−p̂)/n) it stays inside [0, 1] and is not empty at
 * p̂ = 0 or 1, which matters for the small example counts of a quick run.
 *
 * <p>It takes the observed rate and n, so it also serves a score with half credits (calibrated
 * accuracy gives ½ at the median): that is the score-as-proportion approximation, documented as such.
 *
 * @param lo the lower end
 * @param hi the upper end
 */
public record Wilson(double lo, double hi) {
    /** The two-sided 95% normal quantile, Φ⁻¹(0.975). */
    public static final double Z95 = 1.959963984540054;

    /** The 95% interval of {@code rate} observed over {@code n} examples; NaN ends for n ≤ 0 or a non-finite rate. */
    public static Wilson of(double rate, int n) {
        if (n <= 0 || !Double.isFinite(rate)) {
            return new Wilson(Double.NaN, Double.NaN);
        }
        double p = Math.min(1, Math.max(0, rate));
        double z2 = Z95 * Z95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Wilson(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    public boolean defined() {
        return Double.isFinite(lo) && Double.isFinite(hi);
    }

    /** "[0.490, 0.943]" or "[—]" when undefined. */
    public String text() {
        return defined() ? String.format(java.util.Locale.ROOT, "[%.3f, %.3f]", lo, hi) : "[—]";
    }
}
