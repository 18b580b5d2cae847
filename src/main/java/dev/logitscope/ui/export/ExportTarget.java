package dev.logitscope.ui.export;

import java.util.Locale;

/** What can be exported and how the files of an "export all" are named. */
public enum ExportTarget {
    HEATMAP("heatmap"),
    GRID("grid"),
    TRAJECTORY("trajectory");

    private final String fileStem;

    ExportTarget(String fileStem) {
        this.fileStem = fileStem;
    }

    public String fileStem() {
        return fileStem;
    }

    /** The format a file name asks for: png, svg, pdf, csv or json. */
    public static String format(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
