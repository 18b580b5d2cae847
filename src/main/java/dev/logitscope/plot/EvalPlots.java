package dev.logitscope.plot;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.Aggregate;
import dev.logitscope.prompt.DemoLabels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots of an evaluation, drawn from its summary (eval knows nothing of plots; the CLI and
 * the app's Evaluate tab both draw through here): accuracy vs.
 * layer per model and shot count with correct and flipped demonstrations, the critical layer
 * marked; and final accuracy vs. model size. Each as PNG, SVG and PDF. With several templates both
 * plots show the mean over templates (one template is one sample of prompt space); the
 * per-template numbers are in summary.json and the table.
 */
public final class EvalPlots {
    public static final String ACCURACY_BY_LAYER = "accuracy_by_layer";
    public static final String SCALING = "accuracy_vs_size";

    private EvalPlots() {}

    /** What the plots draw of a model in one setting: a template's seed means, or the mean over templates. */
    private record Curve(String model, int shots, DemoLabels demoLabels, ScoringMethod method, double[] meanAccuracy,
            double finalAccuracy, Integer criticalLayerOfMeans, int examples, String criticalLayerReason, String lens) {

        /** The setting, and the lens when it is not the logit lens: lines of two lenses never merge. */
        String setting() {
            return (shots == 0 ? "0-shot" : shots + " " + demoLabels.key()) + lensSuffix();
        }

        /** " · KEY" for a lens other than the logit lens, else "". */
        String lensSuffix() {
            return lens.equals("logit") ? "" : " · " + lens;
        }

        /** The condition's style, dashed per lens when the run has several (the logit lens keeps the usual dash). */
        Series series(String name, List<String> lenses) {
            ConditionStyle style = style();
            int i = lenses.indexOf(lens);
            // a lens after the first: a dash its condition's own style does not use
            List<Series.Dash> free = LENS_DASHES.stream().filter(d -> d != style.dash()).toList();
            Series.Dash dash = i <= 0 ? style.dash() : free.get((i - 1) % free.size());
            return new Series(name, Series.perLayer(name, meanAccuracy, style).x(), meanAccuracy, style.colorIndex(), dash,
                    style.marker(), false);
        }

        ConditionStyle style() {
            return ConditionStyle.of(shots, demoLabels, method);
        }
    }

    private static List<Curve> curves(EvalSummary summary) {
        if (!summary.templateMeans().isEmpty()) {
            return summary.templateMeans().stream().map(EvalPlots::curve).toList();
        }
        return summary.aggregates().stream().map(EvalPlots::curve).toList();
    }

    private static Curve curve(Aggregate a) {
        return new Curve(a.model(), a.shots(), a.demoLabels(), a.method(), a.meanAccuracy(), a.finalAccuracy().mean(),
                a.criticalLayerOfMeans(), a.examples(), a.criticalLayerReason(), a.lens());
    }

    /** Dashes of the lenses after the first, in the order the run names them. */
    private static final List<Series.Dash> LENS_DASHES = List.of(Series.Dash.LONG_DASH, Series.Dash.DASH_DOT_DOT,
            Series.Dash.DASH_DOT, Series.Dash.DOTTED);

    /** " (mean of N templates)" when the plots average templates, else "". */
    private static String templatesNote(EvalSummary summary) {
        int n = summary.templateMeans().stream().mapToInt(m -> m.templates().size()).max().orElse(0);
        return n > 1 ? " (mean of " + n + " templates)" : "";
    }

    /** Writes both plots into {@code dir}; returns the files written. */
    public static List<Path> write(EvalSummary summary, Path dir, String dataset) throws IOException {
        return write(summary, dir, dataset, Map.of());
    }

    /**
     * As {@link #write(EvalSummary, Path, String)}, the PNG, SVG and PDF files carrying {@code metadata}
     * (the run's provenance: PNG iTXt chunks, an SVG {@code <metadata>} element, PDF information and XMP).
     */
    public static List<Path> write(EvalSummary summary, Path dir, String dataset, Map<String, String> metadata)
            throws IOException {
        List<Path> files = new ArrayList<>();
        PlotTheme theme = PlotTheme.light();
        files.addAll(both(new AccuracyByLayerChart(accuracyByLayer(summary, dataset), theme), dir, ACCURACY_BY_LAYER,
                metadata));
        files.addAll(both(new ScalingChart(scaling(summary, dataset), theme), dir, SCALING, metadata));
        return files;
    }

    private static List<Path> both(PlotRenderer renderer, Path dir, String name, Map<String, String> metadata)
            throws IOException {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        Path pdf = dir.resolve(name + ".pdf");
        PlotExport.png(renderer, png, 2, metadata);
        PlotExport.svg(renderer, svg, metadata);
        PlotExport.pdf(renderer, pdf, metadata);
        return List.of(png, svg, pdf);
    }

    /** One panel per model and shot count; a correct/flipped pair gets the usual pair and its critical layer. */
    public static AccuracyByLayerData accuracyByLayer(EvalSummary summary, String dataset) {
        Map<String, List<Curve>> groups = new LinkedHashMap<>();
        List<String> lenses = new ArrayList<>();
        for (Curve a : curves(summary)) {
            groups.computeIfAbsent(a.model() + '\u0000' + a.shots(), k -> new ArrayList<>()).add(a);
            if (!lenses.contains(a.lens())) {
                lenses.add(a.lens());
            }
        }
        List<AccuracyByLayerData.Panel> panels = new ArrayList<>();
        for (List<Curve> group : groups.values()) {
            Curve first = group.get(0);
            String title = displayName(first.model()) + " · " + (first.shots() == 0 ? "0-shot" : first.shots() + "-shot");
            // the first lens's critical layer is marked; every lens's is in the table and summary.json
            Curve flipped = first.shots() > 0 ? find(group.stream().filter(c -> c.lens().equals(first.lens())).toList(),
                    DemoLabels.FLIPPED) : null;
            List<Curve> shown = new ArrayList<>();
            for (Curve a : group) { // 0-shot: one line per lens
                if (first.shots() > 0 || shown.stream().noneMatch(c -> c.lens().equals(a.lens()))) {
                    shown.add(a);
                }
            }
            List<Series> series = new ArrayList<>();
            List<Integer> examples = new ArrayList<>();
            for (Curve a : shown) {
                series.add(lenses.size() > 1 ? a.series(label(a), lenses) : Series.perLayer(label(a), a.meanAccuracy(), a.style()));
                examples.add(a.examples());
            }
            LayerMarker marker = flipped != null && flipped.criticalLayerOfMeans() != null
                    ? LayerMarker.criticalLayer(flipped.criticalLayerOfMeans()) : null;
            String note = flipped != null && flipped.criticalLayerOfMeans() == null && flipped.criticalLayerReason() != null
                    ? shortReason(flipped.criticalLayerReason()) : "";
            panels.add(new AccuracyByLayerData.Panel(title, series, marker, note, examples));
        }
        return new AccuracyByLayerData("Accuracy by layer — " + dataset + templatesNote(summary), panels, 0.5);
    }

    /** One line per demonstration setting over the models' parameter counts. */
    public static ScalingData scaling(EvalSummary summary, String dataset) {
        List<ModelStats> models = summary.models();
        Map<String, double[]> bySetting = new LinkedHashMap<>();
        Map<String, int[]> examples = new LinkedHashMap<>();
        Map<String, Curve> example = new LinkedHashMap<>();
        for (Curve a : curves(summary)) {
            int i = indexOf(models, a.model());
            if (i < 0) {
                continue;
            }
            double[] acc = bySetting.computeIfAbsent(a.setting(), s -> {
                double[] v = new double[models.size()];
                Arrays.fill(v, Double.NaN);
                return v;
            });
            acc[i] = a.finalAccuracy();
            examples.computeIfAbsent(a.setting(), s -> new int[models.size()])[i] = a.examples();
            example.putIfAbsent(a.setting(), a);
        }
        List<String> families = models.stream().map(m -> familyName(m.family())).distinct().toList();
        boolean byFamily = families.size() > 1;
        List<ScalingData.Condition> conditions = new ArrayList<>();
        Map<ConditionStyle, Integer> seen = new java.util.EnumMap<>(ConditionStyle.class);
        for (Map.Entry<String, double[]> e : bySetting.entrySet()) {
            Curve a = example.get(e.getKey());
            // a second shot count of the same kind keeps its colour and dash, with hollow markers
            int before = seen.merge(a.style(), 1, Integer::sum) - 1;
            if (!byFamily) {
                conditions.add(new ScalingData.Condition(label(a), e.getValue(), a.style(), before % 2 == 1,
                        examples.get(e.getKey())));
                continue;
            }
            // One line per family (colour and dash = the setting, marker = the family), as the
            // inverse-scaling comparison reads: does each family get worse as it grows?
            for (int f = 0; f < families.size(); f++) {
                String family = families.get(f);
                double[] acc = e.getValue().clone();
                for (int i = 0; i < models.size(); i++) {
                    if (!familyName(models.get(i).family()).equals(family)) {
                        acc[i] = Double.NaN;
                    }
                }
                // With one setting the colour is free to tell the families apart too.
                int color = bySetting.size() == 1 ? f : a.style().colorIndex();
                conditions.add(new ScalingData.Condition(label(a) + " · " + family, acc, color,
                        a.style().dash(), FAMILY_MARKERS.get(f % FAMILY_MARKERS.size()), before % 2 == 1,
                        examples.get(e.getKey()), family));
            }
        }
        List<ScalingData.Model> xs = models.stream().map(m -> new ScalingData.Model(displayName(m.name()),
                Math.max(1, m.parameters()), byFamily ? familyName(m.family()) : "", m.readout())).toList();
        return new ScalingData("Final accuracy vs. model size — " + dataset + templatesNote(summary), xs, conditions,
                0.5);
    }

    /** Markers of the families on a scaling chart that mixes them, in order of first appearance. */
    private static final List<Marker> FAMILY_MARKERS = List.of(Marker.CIRCLE, Marker.SQUARE, Marker.TRIANGLE,
            Marker.DIAMOND, Marker.PENTAGON, Marker.TRIANGLE_DOWN);

    /** A config.json model_type as a reader names the family; "" (not recorded) stays "". */
    static String familyName(String modelType) {
        return switch (modelType) {
            case "gpt2" -> "GPT-2";
            case "gpt_neo" -> "GPT-Neo";
            case "opt" -> "OPT";
            default -> modelType;
        };
    }

    private static String label(Curve a) {
        if (a.method() == ScoringMethod.LOSS) {
            return "loss (0-shot)" + a.lensSuffix();
        }
        return (a.shots() == 0 ? "0-shot" : a.shots() + " " + a.demoLabels().key() + " demos") + a.lensSuffix();
    }

    /** "no reliable gap" or "no gap": the reason before its numbers. */
    private static String shortReason(String reason) {
        int colon = reason.indexOf(':');
        return colon > 0 ? reason.substring(0, colon) : reason;
    }

    /**
     * A model as the charts name it: a local folder by its last part (a full path would crowd out
     * the shot count in a panel title and the neighbouring tick on the size axis); hub ids as given.
     */
    static String displayName(String model) {
        try {
            java.nio.file.Path path = java.nio.file.Path.of(model);
            if (path.getNameCount() > 1 && java.nio.file.Files.isDirectory(path) && path.getFileName() != null) {
                return path.getFileName().toString();
            }
        } catch (java.nio.file.InvalidPathException e) {
            // not a path: a hub id
        }
        return model;
    }

    private static Curve find(List<Curve> group, DemoLabels labels) {
        return group.stream().filter(a -> a.demoLabels() == labels).findFirst().orElse(null);
    }

    private static int indexOf(List<ModelStats> models, String name) {
        for (int i = 0; i < models.size(); i++) {
            if (models.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
