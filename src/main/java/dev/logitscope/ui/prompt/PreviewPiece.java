package dev.logitscope.ui.prompt;

import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.Segment;
import dev.logitscope.prompt.UsedDemo;
import java.util.ArrayList;
import java.util.List;

/**
 * A styled piece of the prompt preview. Demonstrations, their shown labels (flipped ones marked)
 * and the query each get their own kind, so the view can tell them apart at a glance.
 */
public record PreviewPiece(Kind kind, String text) {

    public enum Kind {
        INSTRUCTION, DEMO, DEMO_LABEL, FLIPPED_LABEL, SEPARATOR, QUERY;

        /** The CSS class of the preview text. */
        public String styleClass() {
            return "preview-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Splits a built prompt into pieces, cutting each demonstration's label word out of it. */
    public static List<PreviewPiece> of(BuiltPrompt prompt) {
        String text = prompt.text();
        List<PreviewPiece> pieces = new ArrayList<>();
        for (Segment segment : prompt.segments()) {
            if (segment.kind() != Segment.Kind.DEMO) {
                pieces.add(new PreviewPiece(kind(segment.kind()), segment.text(text)));
                continue;
            }
            int at = segment.start();
            for (UsedDemo demo : prompt.demos()) {
                if (demo.labelStart() >= segment.start() && demo.labelEnd() <= segment.end()) {
                    if (demo.labelStart() > at) {
                        pieces.add(new PreviewPiece(Kind.DEMO, text.substring(at, demo.labelStart())));
                    }
                    pieces.add(new PreviewPiece(demo.flipped() ? Kind.FLIPPED_LABEL : Kind.DEMO_LABEL,
                            text.substring(demo.labelStart(), demo.labelEnd())));
                    at = demo.labelEnd();
                }
            }
            if (at < segment.end()) {
                pieces.add(new PreviewPiece(Kind.DEMO, text.substring(at, segment.end())));
            }
        }
        return List.copyOf(pieces);
    }

    private static Kind kind(Segment.Kind kind) {
        return switch (kind) {
            case INSTRUCTION -> Kind.INSTRUCTION;
            case DEMO -> Kind.DEMO;
            case SEPARATOR -> Kind.SEPARATOR;
            case QUERY -> Kind.QUERY;
        };
    }
}
