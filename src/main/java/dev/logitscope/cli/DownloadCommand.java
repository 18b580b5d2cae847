package dev.logitscope.cli;

import dev.logitscope.hub.ModelSource;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code logitscope download}: fetch a model into the Hugging Face cache ahead of time. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model from the Hugging Face Hub into the shared cache (resumable, verified).")
final class DownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Override
    public Integer call() throws Exception {
        ModelSource source = modelOptions.locate();
        spec.commandLine().getOut().println(source.folder());
        return 0;
    }
}
