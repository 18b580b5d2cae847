package dev.logitscope.ui.session;

import java.util.List;

/**
 * The lenses of the prompt setup as the session keeps them. A lens is named as the user gave it:
 * {@code logit}, {@code classifier}, a lens folder's absolute path or {@code tuned:NAME} (fetched
 * again from the cache on restore), so a restart offers the same list with the same ticks.
 *
 * @param added  the learned lenses the user added (folders and published names), in the order added
 * @param chosen the ticked lenses, in the list's order; the first is the primary lens
 */
public record LensSettings(List<String> added, List<String> chosen) {

    public LensSettings {
        added = added == null ? List.of() : List.copyOf(added);
        chosen = chosen == null || chosen.isEmpty() ? List.of("logit") : List.copyOf(chosen);
    }

    /** The logit lens alone, nothing added. */
    public static LensSettings defaults() {
        return new LensSettings(List.of(), List.of("logit"));
    }
}
