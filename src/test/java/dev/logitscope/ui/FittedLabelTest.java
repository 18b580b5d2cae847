package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import javafx.scene.text.Text;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/** A summary label shows the longest of its forms that fits, never an ellipsis, and the whole text in its tooltip. */
class FittedLabelTest {
    static final List<String> FORMS = List.of("gpt2-large · 36 layers · width 1280 · 20 heads · 774.0 M parameters",
            "gpt2-large · 36 layers · 774.0 M parameters", "gpt2-large · 36 layers", "gpt2-large");

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    private static <T> T fx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(30, TimeUnit.SECONDS);
    }

    /** The width of {@code s} in the label's font, measured apart from the label. */
    private static double width(FittedLabel label, String s) {
        Text t = new Text(s);
        t.setFont(label.getFont());
        return t.getLayoutBounds().getWidth();
    }

    private static String shownAt(FittedLabel label, double w) {
        label.resize(w, label.prefHeight(w));
        label.layout();
        return label.getText();
    }

    @Test
    void theLongestFormThatFitsIsShown() throws Exception {
        FittedLabel label = fx(() -> {
            FittedLabel l = new FittedLabel();
            new Scene(new Pane(l));
            l.formsProperty().set(FORMS);
            l.applyCss();
            return l;
        });
        fx(() -> {
            double whole = width(label, FORMS.get(0));
            assertThat(label.prefWidth(-1)).isBetween(whole, whole + 4);
            double shortest = width(label, FORMS.get(3));
            assertThat(label.minWidth(-1)).isBetween(shortest, shortest + 4);

            assertThat(shownAt(label, whole + 10)).isEqualTo(FORMS.get(0));
            assertThat(label.getTooltip()).isNull();
            assertThat(shownAt(label, whole - 1)).isEqualTo(FORMS.get(1));
            assertThat(label.getTooltip().getText()).isEqualTo(FORMS.get(0));
            assertThat(shownAt(label, width(label, FORMS.get(2)) + 4)).isEqualTo(FORMS.get(2));
            assertThat(shownAt(label, 5)).isEqualTo(FORMS.get(3));
            assertThat(shownAt(label, whole + 10)).isEqualTo(FORMS.get(0));
            assertThat(label.getTooltip()).isNull();
            return null;
        });
    }
}
