package dev.logitscope.cli;

import dev.logitscope.eval.Provenance;
import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.EvalMerge;
import dev.logitscope.eval.EvalWords;
import dev.logitscope.eval.RunFolder;
import dev.logitscope.plot.EvalPlots;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logitscope eval-merge}: the shards of an {@code eval --shard} run, merged into the folder
 * the unsharded run writes (summary.json, examples.csv, plots).
 */
@Command(name = "eval-merge", mixinStandardHelpOptions = true,
        description = {"Merge the shards of an eval run (eval --shard I/N, or a SLURM/Kubernetes job array) into the"
                + " summary.json, examples.csv and plots an unsharded run of the same command writes.",
                "The shards must come from the same options, dataset, models and program (their provenance); the first"
                + " difference is named. With shards missing or unfinished it writes a partial summary.json"
                + " (\"complete\": false, and a \"merge\" section listing what is missing) and the rows so far, no"
                + " plots, and exits with 1; merge again when they are done.",
                "Exit codes: 0 merged, 1 an error or shards still missing, 2 a usage error."})
final class EvalMergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SHARD_DIR", description = "The shards' --out folders.")
    List<Path> shards;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the merged run (created;"
            + " an earlier merge there is replaced).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        EvalMerge.Result result;
        try {
            result = EvalMerge.merge(shards, out);
        } catch (EvalException e) {
            throw new UserException(e.message(EvalWords.OPTIONS));
        }
        if (!result.complete()) {
            result.missing().forEach(m -> err.println("missing: " + m));
            err.println("wrote a partial merge (\"complete\": false) to " + out + "; merge again when every shard is done");
            err.flush();
            return 1;
        }
        try {
            EvalPlots.write(result.summary(), out, result.datasetName(), Provenance.pictureText(out));
        } catch (IOException | RuntimeException e) {
            err.println("warning: could not write the plots: " + e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        EvalTable.print(stdout, result.summary());
        stdout.flush();
        err.println("merged " + result.shards() + " shards: wrote " + out.resolve(RunFolder.SUMMARY) + ", "
                + out.resolve(RunFolder.EXAMPLES) + " and plots");
        err.flush();
        return 0;
    }
}
