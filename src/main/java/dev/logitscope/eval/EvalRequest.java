package dev.logitscope.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A batch evaluation as asked for, before anything is checked: the {@code eval} command's options
 * and the app's Evaluate tab both become one of these, so both run exactly the same job.
 *
 * @param models      hub ids or folders, as given (they name the results)
 * @param format      a {@link DatasetFormat} key, or null to detect it
 * @param labelMap    {@code V=LABEL,...}, or null for the defaults
 * @param limit       at most this many examples (null: all)
 * @param sample      a random sample of this many (null: none)
 * @param train       a train split for demonstrations, or null
 * @param demoPool    a demonstration pool file, or null for the built-in one
 * @param templates   built-in template names, the group {@code overthinking-sst2}, or template files;
 *                    empty for the default template
 * @param shots       demonstration counts as typed ("0", "4", …)
 * @param demoLabels  correct, flipped and/or random
 * @param seeds       demonstration seeds 0..seeds−1
 * @param out         the run folder
 * @param resume      continue the stopped run in {@code out}
 * @param batch       examples run side by side after the shared demonstrations (0: the default)
 * @param lossSpan    with the loss method, {@code whole} or {@code review} (null: whole)
 * @param lenses      the lenses every layer is read through, each a {@code LensChoice}: logit, classifier or
 *                    a lens folder (empty: the logit lens alone)
 */
public record EvalRequest(List<String> models, Path dataset, String format, String textCol, String labelCol,
        String labelMap, Integer limit, Integer sample, long sampleSeed, boolean skipBad, Path train, Path demoPool,
        List<String> templates, List<String> shots, List<String> demoLabels, String demoOrder, int seeds, String method,
        boolean calibrate, double margin, Path out, boolean resume, boolean noPrefixReuse, int batch,
        String lossSpan, List<dev.logitscope.lens.LensChoice> lenses) {

    /** A request read through the logit lens alone. */
    public EvalRequest(List<String> models, Path dataset, String format, String textCol, String labelCol,
            String labelMap, Integer limit, Integer sample, long sampleSeed, boolean skipBad, Path train, Path demoPool,
            List<String> templates, List<String> shots, List<String> demoLabels, String demoOrder, int seeds,
            String method, boolean calibrate, double margin, Path out, boolean resume, boolean noPrefixReuse, int batch,
            String lossSpan) {
        this(models, dataset, format, textCol, labelCol, labelMap, limit, sample, sampleSeed, skipBad, train, demoPool,
                templates, shots, demoLabels, demoOrder, seeds, method, calibrate, margin, out, resume, noPrefixReuse,
                batch, lossSpan, List.of());
    }

    public EvalRequest {
        lenses = lenses == null ? List.of() : List.copyOf(lenses);
        models = List.copyOf(models);
        templates = templates == null ? List.of() : List.copyOf(templates);
        Objects.requireNonNull(dataset, "dataset");
        shots = List.copyOf(shots);
        demoLabels = List.copyOf(demoLabels);
        Objects.requireNonNull(out, "out");
    }

    /** The same request, continuing the run in its folder (or not). */
    public EvalRequest withResume(boolean on) {
        return new EvalRequest(models, dataset, format, textCol, labelCol, labelMap, limit, sample, sampleSeed, skipBad,
                train, demoPool, templates, shots, demoLabels, demoOrder, seeds, method, calibrate, margin, out, on,
                noPrefixReuse, batch, lossSpan, lenses);
    }
}
