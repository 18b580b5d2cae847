package dev.logitscope.model;

import java.util.Objects;

/**
 * Asks a running computation to stop early: the forward pass checks it between blocks and the
 * lens between chunks of rows, and throw {@link RunCancelledException} when it is requested.
 * Plain Java, so a surface can hold one without touching DJL.
 *
 * <p>A surface whose work makes many engine calls (an analysis: the prompt, the calibration
 * baselines, the grid, the overlay) sets one for its thread with {@link #callWith}; the engine
 * picks it up from {@link #current()} on the calling thread and hands it to the model thread
 * explicitly, so no signature between the surface and the engine has to carry it.
 */
@FunctionalInterface
public interface Cancellation {

    /** Whether the work should stop. Called from the model thread: must be thread-safe and cheap. */
    boolean requested();

    /** Never requested. */
    Cancellation NEVER = () -> false;

    /** Throws {@link RunCancelledException} when cancellation is requested. */
    default void check() {
        if (requested()) {
            throw new RunCancelledException();
        }
    }

    /** The cancellation set for the calling thread by {@link #callWith}, else {@link #NEVER}. */
    static Cancellation current() {
        Cancellation set = CurrentCancellation.CURRENT.get();
        return set == null ? NEVER : set;
    }

    /** Work that may fail with a checked exception of type {@code E}. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T call() throws E;
    }

    /** Runs {@code work} on this thread with {@code cancellation} as {@link #current()}; restores the previous one after. */
    static <T, E extends Exception> T callWith(Cancellation cancellation, Work<T, E> work) throws E {
        Objects.requireNonNull(cancellation, "cancellation");
        Cancellation previous = CurrentCancellation.CURRENT.get();
        CurrentCancellation.CURRENT.set(cancellation);
        try {
            return work.call();
        } finally {
            if (previous == null) {
                CurrentCancellation.CURRENT.remove();
            } else {
                CurrentCancellation.CURRENT.set(previous);
            }
        }
    }
}
