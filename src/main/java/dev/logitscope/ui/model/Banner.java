package dev.logitscope.ui.model;

/** A message across the top of the window: what happened and what to do. */
public record Banner(Kind kind, String message) {

    public enum Kind { INFO, WARNING, ERROR }

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
