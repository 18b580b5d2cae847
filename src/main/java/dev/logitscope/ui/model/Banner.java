package dev.logitscope.ui.model;

import java.util.List;
import java.util.Objects;

/** A message across the top of the window: what happened and what to do, with buttons that do it. */
public record Banner(Kind kind, String message, List<Action> actions) {

    public enum Kind { INFO, WARNING, ERROR }

    /** A button in the banner. */
    public record Action(String text, Runnable run) {
        public Action {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(run, "run");
        }
    }

    public Banner {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        actions = actions == null ? List.of() : List.copyOf(actions);
    }

    public Banner(Kind kind, String message) {
        this(kind, message, List.of());
    }

    public Banner withActions(Action... more) {
        return new Banner(kind, message, List.of(more));
    }

    public static Banner info(String message) {
        return new Banner(Kind.INFO, message);
    }

    public static Banner warning(String message) {
        return new Banner(Kind.WARNING, message);
    }

    public static Banner error(String message) {
        return new Banner(Kind.ERROR, message);
    }
}
