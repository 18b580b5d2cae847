package dev.logitscope.eval;

/** What a run reports as it goes (the CLI draws a progress bar; tests count). All optional. */
public interface EvalListener {
    EvalListener NONE = new EvalListener() {};

    /** The run starts: {@code total} example × condition cells, {@code done} of them already finished. */
    default void started(long total, long done) {}

    /** A model is being loaded. */
    default void loading(String model) {}

    /** One more cell is finished (computed, copied or skipped). */
    default void step(Condition condition, String exampleId) {}

    /** Something the user should know, once per distinct message. */
    default void warning(String message) {}
}
