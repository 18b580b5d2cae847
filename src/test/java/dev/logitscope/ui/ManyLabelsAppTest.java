package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.plot.Series;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.plot.HeatmapPlot;
import dev.logitscope.ui.plot.TrajectoryPlot;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window with the five-way sst5-review template: the gold choice offers its labels, the word
 * fields of the positive/negative pair step aside, the heatmap has a column per label and shows
 * P(gold | labels), the trajectory draws one line per label, all read from the analysis's trajectory.
 */
class ManyLabelsAppTest {
    private static final List<String> FIVE = List.of("terrible", "bad", "okay", "good", "great");

    @TempDir
    static Path shared;
    static TinyCheckpoint tiny;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @BeforeAll
    static void checkpoint() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        tiny = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(3).realTokenizer(tokenizer)
                .write(shared.resolve("tiny"));
    }

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    @Test
    void aFiveLabelTemplateIsAnalysedAndDrawnPerLabel() throws Exception {
        app.openWithModel(SessionStore.inMemory(Session.defaults()), dir.resolve("hub"), tiny.folder());
        ChoiceBox<String> gold = app.lookup("#gold");
        TextField positiveWord = app.lookup("#positiveWord");
        assertThat(app.fx(() -> List.copyOf(gold.getItems()))).containsExactly("unknown", "positive", "negative");
        app.fx(() -> app.vm().prompt().templateProperty().set("sst5-review"));
        assertThat(app.fx(() -> List.copyOf(gold.getItems()))).containsExactly("unknown", "terrible", "bad", "okay", "good",
                "great");
        assertThat(app.fx(positiveWord::isDisabled)).isTrue();
        app.fx(() -> gold.setValue("great"));
        TextArea review = app.lookup("#review");
        app.fx(() -> review.setText("A warm, funny and beautifully acted film."));
        AnalysisResult r = app.waitForResult(x -> x.analysis().trajectory().labels() == 5 && x.analysis().gold() != null);

        LabelTrajectory t = r.analysis().trajectory();
        assertThat(t.gold()).isEqualTo(Sentiment.of(4));
        assertThat(t.labelNames()).isEqualTo(FIVE);
        HeatmapPlot heatmap = (HeatmapPlot) app.fx(() -> app.vm().heatmapProperty().get());
        assertThat(heatmap.data().labels()).isEqualTo(FIVE);
        assertThat(heatmap.data().positiveIndex()).isEqualTo(4);
        double[][] normalized = t.normalized();
        for (int l = 0; l < t.taps(); l++) {
            assertThat(heatmap.data().rows().get(l).normalizedPositive()).isEqualTo(normalized[l][4]);
            assertThat(heatmap.data().rows().get(l).predicted()).isEqualTo(FIVE.get(t.prediction(l).index()));
            double sum = 0;
            for (double v : normalized[l]) {
                sum += v;
            }
            assertThat(sum).isCloseTo(1, within(1e-9));
        }
        TrajectoryPlot trajectory = (TrajectoryPlot) app.fx(() -> app.vm().trajectoryProperty().get());
        List<Series> lines = trajectory.data().series();
        assertThat(lines).extracting(Series::name).containsExactly("P(terrible)", "P(bad)", "P(okay)", "P(good)", "P(great)");
        assertThat(lines.get(2).y()).containsExactly(t.column(Sentiment.of(2), false));
        Label status = app.lookup("#status");
        assertThat(app.fx(status::getText)).contains("final answer " + FIVE.get(t.finalPrediction().index()));

        // The shipped samples are labelled positive/negative: under five labels they come without a gold label.
        dev.logitscope.prompt.SampleReview sample = app.fx(() -> app.vm().samples().stream()
                .filter(x -> x.expected().isPresent()).findFirst().orElseThrow());
        app.fx(() -> app.vm().useSample(sample));
        AnalysisResult sampled = app.waitForResult(x -> x.review().equals(sample.review()));
        assertThat(sampled.analysis().gold()).isNull();
        assertThat(app.fx(gold::getValue)).isEqualTo("unknown");
    }
}
