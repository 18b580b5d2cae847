package dev.logitscope.ui.model;

import dev.logitscope.lens.ModelInfo;
import dev.logitscope.model.ModelShape;
import java.util.List;
import java.util.Locale;

/**
 * The loaded model in one line: size, width, parameters and weight memory, and what its lens
 * reads through when that is not the usual final norm and unembedding (OPT-350m's "post-LN, no
 * final norm").
 */
public final class ModelSummary {
    private ModelSummary() {}

    public static String describe(ModelInfo info) {
        ModelShape s = info.shape();
        return String.format(Locale.ROOT, "%s · %d layers · width %d · %d heads · %s parameters · %s weights · context %d",
                info.source(), s.nLayer(), s.nEmbd(), s.nHead(), count(s.parameters()), bytes(info.weightBytes()),
                s.nPositions()) + lens(info);
    }

    /** " · lens: …" for an unusual readout, kept in the longer forms; empty for the usual one. */
    private static String lens(ModelInfo info) {
        return info.unusualReadout() ? " · lens: " + info.readout() : "";
    }

    /**
     * The summary and shorter forms of it, longest first, for a bar that narrows with the window:
     * the name and size stay longest, the shape's details go first.
     */
    public static List<String> forms(ModelInfo info) {
        ModelShape s = info.shape();
        String layers = String.format(Locale.ROOT, "%s · %d layers", info.source(), s.nLayer());
        String parameters = layers + " · " + count(s.parameters()) + " parameters";
        // the weights' memory outlasts the parameter count: a second model's bar is narrower
        return List.of(describe(info), parameters + " · " + bytes(info.weightBytes()) + " weights" + lens(info),
                parameters + lens(info), layers + " · " + bytes(info.weightBytes()) + " weights", layers, info.source());
    }

    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f B", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.0f MiB", n / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.0f KiB", n / 1024.0);
    }
}
