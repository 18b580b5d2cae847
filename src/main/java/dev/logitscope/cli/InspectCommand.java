package dev.logitscope.cli;

import com.google.gson.GsonBuilder;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code logitscope inspect}: the lens of every layer for one prompt, as JSON or a table. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Run a prompt through the model and read every layer through the logit lens.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "The exact text to analyse.")
    String prompt;

    @Option(names = "--labels", arity = "1..*", paramLabel = "WORD", defaultValue = " positive, negative", split = ",",
            description = "Words whose probabilities are followed through the layers, with their leading space"
                    + " (the lens reads each word's first token). Default: \" positive\" \" negative\".")
    List<String> labels;

    @Option(names = "--top", defaultValue = "5", description = "Top tokens per layer. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--positions", defaultValue = "last", paramLabel = "last|all",
            description = "Read the last position only, or every position (the token × layer grid). Default: ${DEFAULT-VALUE}.")
    String positions;

    @Option(names = "--mid-block", description = "Also read the residual stream after each block's attention (layers i-0.5).")
    boolean midBlock;

    @Option(names = "--json", description = "Print one JSON document (the stable format scripts rely on).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        LensRequest.Positions which = switch (positions.toLowerCase(Locale.ROOT)) {
            case "last" -> LensRequest.Positions.LAST;
            case "all" -> LensRequest.Positions.ALL;
            default -> throw new UserException("--positions must be 'last' or 'all', not '" + positions + "'.");
        };
        if (top < 0 || top > 1000) {
            throw new UserException("--top must be between 0 and 1000, not " + top + ".");
        }
        try (LensEngine engine = modelOptions.open()) {
            List<TrackedWord> tracked = engine.track(labels);
            LensReport report = engine.inspect(prompt, tracked, top, which, midBlock);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new GsonBuilder().disableHtmlEscaping().create()
                        .toJson(LensJson.report(report, which == LensRequest.Positions.ALL)));
            } else {
                printTable(out, report);
            }
            out.flush();
        }
        return 0;
    }

    private static void printTable(PrintWriter out, LensReport report) {
        out.printf(Locale.ROOT, "%s  (%d layers, %d tokens)%n", report.model().source(), report.model().shape().nLayer(),
                report.tokens().size());
        for (TrackedWord word : report.tracked()) {
            if (word.isMultiToken()) {
                out.printf(Locale.ROOT, "note: '%s' is %d tokens; the lens reads its first token%n", word.word(),
                        word.tokenIds().length);
            }
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-9s", "layer"));
        for (TrackedWord word : report.tracked()) {
            header.append(String.format(Locale.ROOT, " %12s", "P(" + word.word().strip() + ")"));
        }
        header.append(String.format(Locale.ROOT, " %8s %8s  %s", "entropy", "KL", "top tokens"));
        out.println(header);
        for (LayerReading layer : report.layers()) {
            PositionReading last = layer.last();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-9s", layer.name()));
            for (double p : last.trackedProbs()) {
                row.append(String.format(Locale.ROOT, " %12.6f", p));
            }
            row.append(String.format(Locale.ROOT, " %8.3f %8.3f  ", last.entropy(), last.klToFinal()));
            row.append(last.top().stream()
                    .map((TopToken t) -> String.format(Locale.ROOT, "%s %.3f", t.token(), t.prob()))
                    .collect(Collectors.joining(" | ")));
            out.println(row);
        }
    }
}
