package dev.logitscope.plot;

/**
 * One line of a chart: y over x (a layer depth, a parameter count). NaN values break the line.
 *
 * @param colorIndex index into the theme's series colours; lines of one kind share an index
 * @param dash       a second cue besides colour, so print and colour-blind readers can tell lines apart
 * @param marker     the glyph of its points
 * @param hollow     points drawn as outlines (a second shot count of the same condition)
 */
public record Series(String name, double[] x, double[] y, int colorIndex, Dash dash, Marker marker, boolean hollow) {

    public enum Dash { SOLID, DASHED, DOTTED, DASH_DOT, LONG_DASH, DASH_DOT_DOT }

    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and "
                    + y.length + " y values");
        }
        x = x.clone();
        y = y.clone();
    }

    public Series(String name, double[] x, double[] y, int colorIndex, Dash dash) {
        this(name, x, y, colorIndex, dash, Marker.CIRCLE, false);
    }

    public Series(String name, double[] x, double[] y, int colorIndex) {
        this(name, x, y, colorIndex, Dash.SOLID);
    }

    /** A line in a condition's style ({@link ConditionStyle}): its colour, dash and marker. */
    public static Series of(String name, double[] x, double[] y, ConditionStyle style, boolean hollow) {
        return new Series(name, x, y, style.colorIndex(), style.dash(), style.marker(), hollow);
    }

    /** Values at layers 0, 1, …, n − 1 in a condition's style. */
    public static Series perLayer(String name, double[] values, ConditionStyle style) {
        return of(name, layers(values.length), values, style, false);
    }

    /** Values at layers 0, 1, …, n − 1. */
    public static Series perLayer(String name, double[] values, int colorIndex, Dash dash) {
        return new Series(name, layers(values.length), values, colorIndex, dash);
    }

    static double[] layers(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    int size() {
        return x.length;
    }

    double xAt(int i) {
        return x[i];
    }

    double yAt(int i) {
        return y[i];
    }
}
