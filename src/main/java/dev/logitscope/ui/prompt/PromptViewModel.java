package dev.logitscope.ui.prompt;

import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.ui.session.Session;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Prompt setup: template, shots, demonstration labels, label words, gold label, calibration.
 * {@link #snapshot()} captures them as an immutable {@link PromptSettings}.
 */
public final class PromptViewModel {
    /** What the gold-label choice shows for "no gold label". */
    public static final String NO_GOLD = "unknown";

    private final ObservableList<String> templates = FXCollections.observableArrayList(TemplateLibrary.allNames());
    /** "none" and the template's label names: positive/negative, or the words of a larger label set. */
    private final ObservableList<String> goldChoices = FXCollections.observableArrayList();
    /** Whether the template has the two labels the positive/negative word fields edit. */
    private final javafx.beans.property.BooleanProperty twoLabels =
            new javafx.beans.property.SimpleBooleanProperty(this, "twoLabels", true);
    private final StringProperty template = new SimpleStringProperty(this, "template", TemplateLibrary.DEFAULT_NAME);
    private final ObjectProperty<ShotMode> shotMode = new SimpleObjectProperty<>(this, "shotMode", ShotMode.ZERO);
    private final IntegerProperty fewK = new SimpleIntegerProperty(this, "fewK", 4);
    private final ObjectProperty<DemoLabels> demoLabels = new SimpleObjectProperty<>(this, "demoLabels", DemoLabels.CORRECT);
    private final StringProperty positiveWord = new SimpleStringProperty(this, "positiveWord", "");
    private final StringProperty negativeWord = new SimpleStringProperty(this, "negativeWord", "");
    private final StringProperty gold = new SimpleStringProperty(this, "gold", NO_GOLD);
    private final BooleanProperty calibrate = new SimpleBooleanProperty(this, "calibrate", false);
    /** Which demonstrations the pool gives; "Other demonstrations" steps it. */
    private final LongProperty demoSeed = new SimpleLongProperty(this, "demoSeed", 0);

    public PromptViewModel() {
        // A new template brings its own label words.
        template.addListener((obs, old, name) -> resetLabelWords());
        resetLabelWords();
    }

    /** Everything that changes the prompt or its reading: the analysis re-runs when one changes. */
    public List<Observable> inputs() {
        return List.of(template, shotMode, fewK, demoLabels, positiveWord, negativeWord, gold, calibrate, demoSeed);
    }

    /** The settings now; throws a {@code PromptException} with a message for the user when invalid. */
    public PromptSettings snapshot() {
        PromptTemplate base = TemplateLibrary.builtIn(template.get());
        // The two word fields edit a positive/negative pair; a larger label set is read as declared.
        LabelWords words = base.labels().size() != 2 ? base.labels()
                : new LabelWords(inPrompt(positiveWord.get(), base.labels().positive()),
                        inPrompt(negativeWord.get(), base.labels().negative()));
        Optional<Sentiment> goldLabel = NO_GOLD.equals(gold.get()) || gold.get() == null || gold.get().isBlank()
                ? Optional.empty() : Optional.of(words.parse(gold.get()));
        return new PromptSettings(base.withLabels(words), shotMode.get().shots(fewK.get()), demoLabels.get(), goldLabel,
                calibrate.get(), demoSeed.get());
    }

    /** The word as typed (spaces trimmed for editing), given the template word's leading space back. */
    static String inPrompt(String typed, String templateWord) {
        String word = typed == null ? "" : typed.strip();
        if (word.isEmpty()) {
            return templateWord;
        }
        return templateWord.startsWith(" ") ? " " + word : word;
    }

    public void restore(Session s) {
        if (templates.contains(s.template())) {
            template.set(s.template());
        }
        fewK.set(Math.max(2, s.fewK()));
        shotMode.set(ShotMode.of(s.shots()));
        try {
            demoLabels.set(DemoLabels.parse(s.demoLabels()));
        } catch (RuntimeException e) {
            demoLabels.set(DemoLabels.CORRECT);
        }
        if (!s.positiveWord().isBlank()) {
            positiveWord.set(s.positiveWord().strip());
        }
        if (!s.negativeWord().isBlank()) {
            negativeWord.set(s.negativeWord().strip());
        }
        gold.set(s.gold().isBlank() ? NO_GOLD : s.gold());
        calibrate.set(s.calibrate());
        demoSeed.set(Math.max(0, s.demoSeed()));
    }

    /** Writes the prompt settings into a session. */
    public Session into(Session s) {
        int shots = shotMode.get().shots(fewK.get()).k();
        return new Session(s.model(), s.recentModels(), template.get(), shots, fewK.get(), demoLabels.get().key(),
                positiveWord.get(), negativeWord.get(), NO_GOLD.equals(gold.get()) ? "" : gold.get(), calibrate.get(),
                s.review(), s.theme(), s.logScale(), s.evaluate(), demoSeed.get(), s.view(), s.lenses());
    }

    public void resetLabelWords() {
        LabelWords words = TemplateLibrary.builtIn(template.get()).labels();
        List<String> choices = new java.util.ArrayList<>(List.of(NO_GOLD));
        choices.addAll(words.names());
        if (!choices.equals(goldChoices)) {
            goldChoices.setAll(choices);
        }
        if (gold.get() != null && !choices.contains(gold.get())) {
            gold.set(NO_GOLD); // a label of another label set
        }
        twoLabels.set(words.size() == 2);
        positiveWord.set(words.positive().strip());
        negativeWord.set(words.negative().strip());
    }

    /** "' positive' → 3967   ' negative' → 4633", ids of each label word. */
    public static String describeIds(String word, int[] ids) {
        return "'" + word + "' → " + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    public ObservableList<String> templates() {
        return templates;
    }

    /** "none" and the template's labels (positive, negative for the two-label templates); follows the template. */
    public ObservableList<String> goldChoices() {
        return goldChoices;
    }

    public javafx.beans.property.ReadOnlyBooleanProperty twoLabelsProperty() {
        return twoLabels;
    }

    public StringProperty templateProperty() {
        return template;
    }

    public ObjectProperty<ShotMode> shotModeProperty() {
        return shotMode;
    }

    public IntegerProperty fewKProperty() {
        return fewK;
    }

    public ObjectProperty<DemoLabels> demoLabelsProperty() {
        return demoLabels;
    }

    public StringProperty positiveWordProperty() {
        return positiveWord;
    }

    public StringProperty negativeWordProperty() {
        return negativeWord;
    }

    public StringProperty goldProperty() {
        return gold;
    }

    public BooleanProperty calibrateProperty() {
        return calibrate;
    }

    public LongProperty demoSeedProperty() {
        return demoSeed;
    }

    /** Other demonstrations from the pool (the next seed); with zero-shot there are none to change. */
    public void otherDemonstrations() {
        demoSeed.set(demoSeed.get() + 1);
    }
}
