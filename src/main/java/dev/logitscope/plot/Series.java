package dev.logitscope.plot;

/**
 * One line of a chart: y over x (a layer depth, a parameter count). NaN values break the line.
 *
 * @param colorIndex index into the theme's series colours; lines of one kind share an index
 * @param dash       a second cue besides colour, so print and colour-blind readers can tell lines apart
 */
public record Series(String name, double[] x, double[] y, int colorIndex, Dash dash) {

    public enum Dash { SOLID, DASHED, DOTTED }

    public Series {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values and "
                    + y.length + " y values");
        }
        x = x.clone();
        y = y.clone();
    }

    public Series(String name, double[] x, double[] y, int colorIndex) {
        this(name, x, y, colorIndex, Dash.SOLID);
    }

    /** Values at layers 0, 1, …, n − 1. */
    public static Series perLayer(String name, double[] values, int colorIndex, Dash dash) {
        double[] x = new double[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new Series(name, x, values, colorIndex, dash);
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
