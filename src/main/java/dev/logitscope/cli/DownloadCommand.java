package dev.logitscope.cli;

import dev.logitscope.hub.ModelSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logitscope download}: fetch a model into the Hugging Face cache ahead of time. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model from the Hugging Face Hub into the shared cache (resumable, verified),"
                + " and print the folder that holds it.")
final class DownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "distilgpt2, gpt2, gpt2-medium, gpt2-large, gpt2-xl, or a hub id org/name.")
    String model;

    @Override
    public Integer call() throws Exception {
        ModelOptions options = new ModelOptions();
        options.model = model;
        ModelSource source = options.locate();
        spec.commandLine().getOut().println(source.folder());
        return 0;
    }
}
