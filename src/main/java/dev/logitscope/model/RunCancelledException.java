package dev.logitscope.model;

/**
 * A run stopped because its {@link Cancellation} was requested: newer work superseded it, or the
 * user stopped it. Not an error; a surface drops it silently. Unchecked, so it passes through the
 * layers between the model and the surface unchanged. A KV cache the run was extending still
 * holds only the positions computed before it (the new ones are recorded only when a pass ends).
 */
public final class RunCancelledException extends RuntimeException {

    public RunCancelledException() {
        super("the run was cancelled", null, false, false); // no stack trace: it is control flow
    }
}
