package dev.logitscope.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a dataset is and how to read it.
 *
 * @param path     a file, or an {@code aclImdb} (or split) folder
 * @param format   the layout, or null to detect it from the path
 * @param textCol  the text column/field of csv, tsv and jsonl (null: text, sentence or review)
 * @param labelCol the label column/field (null: label or sentiment)
 * @param labelMap how label values become sentiments
 * @param skipBad  report malformed lines and go on, instead of stopping at the first
 */
public record DatasetSpec(Path path, DatasetFormat format, String textCol, String labelCol, LabelMap labelMap,
        boolean skipBad) {

    public DatasetSpec {
        Objects.requireNonNull(path, "path");
        labelMap = labelMap == null ? LabelMap.DEFAULT : labelMap;
    }

    public static DatasetSpec of(Path path) {
        return new DatasetSpec(path, null, null, null, null, false);
    }

    public DatasetSpec withFormat(DatasetFormat f) {
        return new DatasetSpec(path, f, textCol, labelCol, labelMap, skipBad);
    }

    public DatasetSpec withColumns(String text, String label) {
        return new DatasetSpec(path, format, text, label, labelMap, skipBad);
    }

    public DatasetSpec withLabelMap(LabelMap map) {
        return new DatasetSpec(path, format, textCol, labelCol, map, skipBad);
    }

    public DatasetSpec withSkipBad(boolean on) {
        return new DatasetSpec(path, format, textCol, labelCol, labelMap, on);
    }

    /** The format to read with: the given one, else detected. */
    public DatasetFormat resolvedFormat() {
        return format != null ? format : DatasetFormat.detect(path);
    }
}
