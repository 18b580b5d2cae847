package dev.logitscope.cli;

import dev.logitscope.hub.DownloadListener;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import picocli.CommandLine.Option;

/** The {@code --model} option shared by every command that runs a model. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "DIR|HUB_ID",
            description = "A model folder (config.json, model.safetensors, tokenizer.json) or a hub id:"
                    + " distilgpt2, gpt2, gpt2-medium, gpt2-large, gpt2-xl, or org/name.")
    String model;

    /** Finds (downloading if needed, with a progress bar on stderr) and loads the model. */
    LensEngine open() throws HubException, ModelException {
        ModelSource source = locate();
        return LensEngine.open(source.folder(), source.name());
    }

    ModelSource locate() throws HubException {
        HubClient client = new HubClient(HubSettings.fromSystem());
        try (ConsoleProgress progress = new ConsoleProgress()) {
            DownloadListener listener = progress::update;
            return new ModelLocator(client).locate(model, listener, () -> false);
        }
    }
}
