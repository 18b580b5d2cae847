package dev.logitscope.cli;

import dev.logitscope.hub.DownloadListener;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --model} option shared by every command that runs a model. */
final class ModelOptions {

    /** The command this option belongs to (null when made by hand), for its stderr. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR|HUB_ID",
            description = "A model folder (config.json, weights, tokenizer files) or a hub id:"
                    + " distilgpt2, gpt2, gpt2-medium, gpt2-large, gpt2-xl, gpt-neo-125m, gpt-neo-1.3b, opt-125m,"
                    + " opt-350m, opt-1.3b, opt-2.7b, or org/name.")
    String model;

    /** Finds (downloading if needed, with progress on stderr) and loads the model. */
    LensEngine open() throws HubException, ModelException {
        ModelSource source = locate();
        return LensEngine.open(source.folder(), source.name());
    }

    ModelSource locate() throws HubException {
        return locate(command == null ? new PrintWriter(System.err, true) : command.commandLine().getErr());
    }

    ModelSource locate(PrintWriter err) throws HubException {
        return locate(err, HubSettings.fromSystem());
    }

    ModelSource locate(PrintWriter err, HubSettings settings) throws HubException {
        HubClient client = new HubClient(settings);
        try (ConsoleProgress progress = new ConsoleProgress(err)) {
            DownloadListener listener = progress::update;
            return new ModelLocator(client).locate(model, listener, () -> false);
        }
    }
}
