package dev.logitscope.model;

/** Holds {@link Cancellation#current()} per thread (an interface cannot keep a private field). */
final class CurrentCancellation {
    static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

    private CurrentCancellation() {
    }
}
