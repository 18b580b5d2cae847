package dev.logitscope.eval;

import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import java.util.Objects;

/**
 * Where an evaluation gets each model's engine. The CLI opens one per model and closes it after;
 * the app lends the engine it has loaded (a lease: it stays open and is not closed by the run), so
 * evaluating the loaded model needs no second model thread or copy of the weights.
 */
@FunctionalInterface
public interface EngineSource {

    /** An engine for {@code model}; closing the use gives it back (or closes it, if it was opened for the run). */
    Use open(ModelRef model) throws ModelException;

    /** One model's engine for the length of its run. */
    interface Use extends AutoCloseable {
        LensEngine engine();

        @Override
        void close();
    }

    /** Opens every model from its folder and closes it after its run. */
    EngineSource OPEN = model -> {
        LensEngine engine = LensEngine.open(model.folder(), model.name());
        return new Use() {
            @Override
            public LensEngine engine() {
                return engine;
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    };

    /**
     * Lends {@code loaded} for the model named {@code name} (the model bar's name for it), and
     * opens any other model. The lease keeps the engine open while the run uses it.
     * {@code take} runs first (the app waits there for its analysis to finish and holds further
     * ones off) and {@code giveBack} after; the engine's cached prompts are dropped at the start, so
     * the run computes exactly what a freshly opened engine computes.
     */
    static EngineSource sharing(String name, LensEngine loaded, Runnable take, Runnable giveBack) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loaded, "loaded");
        return model -> {
            if (!model.name().equals(name)) {
                return OPEN.open(model);
            }
            take.run();
            LensEngine.Lease lease;
            try {
                lease = loaded.lease();
                try {
                    loaded.forgetCachedPrompts();
                } catch (ModelException | RuntimeException e) {
                    lease.close();
                    throw e;
                }
            } catch (ModelException | RuntimeException e) {
                giveBack.run();
                throw e;
            }
            return new Use() {
                @Override
                public LensEngine engine() {
                    return loaded;
                }

                @Override
                public void close() {
                    try {
                        lease.close();
                    } finally {
                        giveBack.run();
                    }
                }
            };
        };
    }
}
