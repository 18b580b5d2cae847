package dev.logitscope.prompt;

import java.util.List;

/**
 * A prompt ready for the model.
 *
 * @param text     the full prompt; it ends where the label word would come
 * @param review   the query review as placed in the prompt
 * @param demos    the demonstrations, in prompt order, with the labels shown
 * @param segments instruction / demo / separator / query pieces, in order, covering {@code text}
 */
public record BuiltPrompt(String text, String review, List<UsedDemo> demos, List<Segment> segments) {
    public BuiltPrompt {
        demos = List.copyOf(demos);
        segments = List.copyOf(segments);
    }

    public int shots() {
        return demos.size();
    }
}
