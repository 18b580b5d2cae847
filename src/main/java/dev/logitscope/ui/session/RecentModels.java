package dev.logitscope.ui.session;

import java.util.ArrayList;
import java.util.List;

/** The recently loaded models list: newest first, no duplicates, bounded. */
public final class RecentModels {
    private RecentModels() {}

    public static List<String> add(List<String> recent, String model) {
        List<String> out = new ArrayList<>();
        out.add(model);
        for (String m : recent) {
            if (!m.equals(model) && out.size() < Session.MAX_RECENT) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }
}
