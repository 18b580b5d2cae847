package dev.logitscope.plot;

/** A labelled vertical line at a layer depth, e.g. "critical layer 17". */
public record LayerMarker(double depth, String label) {

    public static LayerMarker criticalLayer(double depth) {
        return new LayerMarker(depth, "critical layer " + Numbers.depth(depth));
    }
}
