package dev.logitscope.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.text.Text;

/**
 * Finds control text the window does not show whole: a visible {@link Labeled} (label, button,
 * toggle, tab, check box, table header …) whose skin draws less than its text (an ellipsis, or a
 * wrapped text cut short), or whose drawn text runs past a clip of an ancestor or the window's
 * edge; and an empty text field whose prompt text is wider than the field. Text scrolled out of a
 * scrolling view vertically is not cut; text partly past a side is.
 */
final class CutText {
    private static final double SLACK = 1.0;

    private CutText() {}

    /** One line per cut text: what it should say, what it shows, and where. Call on the FX thread. */
    static List<String> in(Scene scene) {
        scene.getRoot().applyCss();
        scene.getRoot().layout();
        List<String> found = new ArrayList<>();
        walk(scene.getRoot(), scene, found);
        return found;
    }

    private static void walk(Node node, Scene scene, List<String> found) {
        if (!node.isVisible()) {
            return;
        }
        if (node instanceof Labeled labeled) {
            check(labeled, scene, found);
        }
        if (node instanceof TextField field) {
            checkPrompt(field, found);
        }
        if (node instanceof Parent parent) {
            for (Node child : parent.getChildrenUnmodifiable()) {
                walk(child, scene, found);
            }
        }
    }

    private static void check(Labeled labeled, Scene scene, List<String> found) {
        String text = labeled.getText();
        if (text == null || text.isEmpty()) {
            return;
        }
        String expected = labeled.isMnemonicParsing() ? withoutMnemonic(text) : text;
        Text drawn = drawnText(labeled);
        if (drawn == null) {
            return; // a menu button, titled pane …: the Labeled inside its skin draws the text, and is checked
        }
        String shown = drawn.getText() == null ? "" : drawn.getText();
        String ellipsis = labeled.getEllipsisString();
        boolean ellipsised = !ellipsis.isEmpty() && shown.endsWith(ellipsis) && !expected.endsWith(ellipsis);
        if (!shown.equals(expected) || ellipsised) {
            found.add(describe(labeled, expected, "shows \"" + shown + "\""));
            return;
        }
        Bounds b = drawn.localToScene(drawn.getBoundsInLocal());
        if (b.getMinX() < -SLACK || b.getMaxX() > scene.getWidth() + SLACK) {
            found.add(describe(labeled, expected, "runs past the window's side " + span(b)));
            return;
        }
        boolean scrolls = false;
        for (Node n = labeled.getParent(); n != null; n = n.getParent()) {
            scrolls |= n instanceof ScrollPane || n instanceof VirtualFlow;
        }
        if (!scrolls && b.getMaxY() > scene.getHeight() + SLACK) {
            found.add(describe(labeled, expected, "runs past the window's foot " + span(b)));
            return;
        }
        for (Node n = drawn; n != null; n = n.getParent()) {
            if (n.getClip() == null) {
                continue;
            }
            Bounds clip = n.localToScene(n.getClip().getBoundsInParent());
            boolean outside = b.getMaxX() <= clip.getMinX() || b.getMinX() >= clip.getMaxX()
                    || b.getMaxY() <= clip.getMinY() || b.getMinY() >= clip.getMaxY();
            if (outside) {
                return; // scrolled out of sight, not cut
            }
            if (b.getMinX() < clip.getMinX() - SLACK || b.getMaxX() > clip.getMaxX() + SLACK) {
                found.add(describe(labeled, expected, "is cut at the side by " + name(n) + " " + span(b)
                        + " in " + span(clip)));
                return;
            }
        }
    }

    /** An empty text field's prompt text (the hint of what to type) is cut at its right edge. */
    private static void checkPrompt(TextField field, List<String> found) {
        String prompt = field.getPromptText();
        if (prompt == null || prompt.isEmpty() || !field.getText().isEmpty()) {
            return;
        }
        Text probe = new Text(prompt);
        probe.setFont(field.getFont());
        double room = field.getWidth() - field.snappedLeftInset() - field.snappedRightInset();
        if (probe.getLayoutBounds().getWidth() > room + SLACK) {
            found.add(name(field) + " prompt \"" + prompt + "\" is cut: " + String.format(Locale.ROOT,
                    "%.0f px of text in %.0f px", probe.getLayoutBounds().getWidth(), room));
        }
    }

    /** The text node a Labeled's skin draws (its LabeledText child). */
    private static Text drawnText(Labeled labeled) {
        for (Node child : labeled.getChildrenUnmodifiable()) {
            if (child instanceof Text t && t.getStyleClass().contains("text") && child != labeled.getGraphic()) {
                return t;
            }
        }
        return null;
    }

    /** What a label with mnemonic parsing shows: the first single '_' is dropped, "__" is one '_'. */
    static String withoutMnemonic(String text) {
        StringBuilder s = new StringBuilder();
        boolean dropped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_' && i + 1 < text.length()) {
                if (text.charAt(i + 1) == '_') {
                    s.append('_');
                    i++;
                    continue;
                }
                if (!dropped) {
                    dropped = true;
                    continue;
                }
            }
            s.append(c);
        }
        return s.toString();
    }

    private static String describe(Labeled labeled, String expected, String what) {
        return name(labeled) + " \"" + expected + "\" " + what + String.format(Locale.ROOT, " (%.0f px wide)",
                labeled.getWidth());
    }

    private static String name(Node n) {
        String id = n.getId() == null ? "" : "#" + n.getId();
        return n.getClass().getSimpleName() + id;
    }

    private static String span(Bounds b) {
        return String.format(Locale.ROOT, "[x %.0f–%.0f, y %.0f–%.0f]", b.getMinX(), b.getMaxX(), b.getMinY(),
                b.getMaxY());
    }
}
