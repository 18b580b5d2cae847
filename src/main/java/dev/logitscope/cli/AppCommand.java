package dev.logitscope.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logitscope app [MODEL]}: the desktop app, optionally with a model open from the start. */
@Command(name = "app", mixinStandardHelpOptions = true,
        description = "Start the desktop app (what ./logitscope does without a command). Needs a display.")
final class AppCommand implements Callable<Integer> {
    private final AppStarter starter;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL",
            description = "A model folder or hub id to open at start (distilgpt2, gpt2, ..., org/name).")
    String model;

    AppCommand(AppStarter starter) {
        this.starter = starter;
    }

    @Override
    public Integer call() {
        int code = starter.start(model == null ? List.of() : List.of(model), spec.commandLine().getErr());
        spec.commandLine().getErr().flush();
        return code;
    }
}
