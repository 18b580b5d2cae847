package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code inspect} table: probabilities readable at every magnitude, the token × layer picture
 * for {@code --positions all}, columns that stay aligned with wide tokens, and token text written
 * the same way in the JSON's {@code tokens} and {@code top} and in the tables.
 */
class InspectTableTest {
    /**
     * Wide tokens (的 is one GPT-2 token, two cells wide; the others split into byte pieces) and
     * whitespace ones: a tab, a newline, a space before a word.
     */
    private static final String PROMPT = "Hello world\n\tok 的的 好 電影 🎬 end";

    /** The "layer" column, 9 cells wide. */
    private static final int LAYER_COLUMN = 9;

    @TempDir
    static Path dir;
    static Path tiny;
    static Path real;

    @BeforeAll
    static void setUp() throws Exception {
        // A large final LayerNorm gain spreads the logits over hundreds of nats, so the label
        // words' probabilities fall far below 1e-6 (what "%.6f" showed as 0.000000).
        float[] gain = new float[16];
        Arrays.fill(gain, 40f);
        tiny = TinyCheckpoint.builder().nPositions(64).override("ln_f.weight", gain).write(dir.resolve("tiny")).folder();
        // Small blocks: the residual stream stays near the token's embedding, so (tied embeddings)
        // each position's top tokens include the prompt's own token, written in both lists.
        real = TinyCheckpoint.builder().nEmbd(16).nHead(2).nPositions(64).projectionStd(0.01)
                .realTokenizer(SharedFiles.gpt2TokenizerOrSkip()).write(dir.resolve("real")).folder();
    }

    @Test
    void probabilitiesAreReadableAtEveryMagnitude() {
        String[] args = {"inspect", "-m", tiny.toString(), "-p", "one two three"};
        CliRunner table = CliRunner.run(args);
        CliRunner json = CliRunner.run(concat(args, "--json"));
        assertThat(table.exitCode()).as(table.err()).isZero();
        JsonArray layers = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("layers");
        List<String> rows = rowsAfter(table.out(), "layer");
        assertThat(rows).hasSize(layers.size());
        double smallest = 1;
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).substring(LAYER_COLUMN).trim().split("\\s+");
            JsonArray probs = layers.get(i).getAsJsonObject().getAsJsonArray("label_probs");
            for (int j = 0; j < 2; j++) {
                double expected = probs.get(j).getAsDouble();
                smallest = Math.min(smallest, expected);
                // three significant digits at any magnitude
                assertThat(Double.parseDouble(cells[j])).as(rows.get(i))
                        .isCloseTo(expected, org.assertj.core.api.Assertions.within(Math.abs(expected) * 5e-3));
            }
        }
        assertThat(smallest).as("the fixture makes tiny probabilities").isLessThan(1e-6);
    }

    @Test
    void allPositionsPrintsTheTokenByLayerPicture() {
        String[] args = {"inspect", "-m", real.toString(), "-p", PROMPT, "--positions", "all", "--top", "2"};
        CliRunner table = CliRunner.run(args);
        assertThat(table.exitCode()).as(table.err()).isZero();
        JsonObject json = JsonParser.parseString(CliRunner.run(concat(args, "--json")).out()).getAsJsonObject();
        JsonArray tokens = json.getAsJsonArray("tokens");
        JsonArray layers = json.getAsJsonArray("layers");

        List<String> grid = rowsAfter(table.out(), "pos");
        assertThat(grid).as(table.out()).hasSize(tokens.size());
        assertThat(String.join("\n", grid)).contains("的");
        String header = table.out().lines().filter(l -> l.startsWith("pos")).findFirst().orElseThrow();
        int bar = displayWidth(header.substring(0, header.indexOf('|')));
        for (int p = 0; p < grid.size(); p++) {
            String row = grid.get(p);
            assertThat(row).doesNotContain("\t", "\r");
            // every row's separator sits in the same terminal column as the header's
            assertThat(displayWidth(row.substring(0, row.indexOf(" | ") + 1))).as(row).isEqualTo(bar);
            assertThat(row.strip()).startsWith(p + " ");
            String token = tokens.get(p).getAsJsonObject().get("token").getAsString();
            assertThat(row).contains(token);
            for (int l = 0; l < layers.size(); l++) {
                String top1 = layers.get(l).getAsJsonObject().getAsJsonArray("positions").get(p).getAsJsonObject()
                        .getAsJsonArray("top").get(0).getAsJsonObject().get("token").getAsString();
                if (displayWidth(top1) <= 10) {
                    assertThat(row.substring(row.indexOf(" | "))).contains(top1);
                }
            }
        }
    }

    @Test
    void wideLabelWordsKeepTheColumnsAligned() {
        CliRunner table = CliRunner.run("inspect", "-m", real.toString(), "-p", PROMPT, "--labels", " 好", " 電影");
        assertThat(table.exitCode()).as(table.err()).isZero();
        String header = table.out().lines().filter(l -> l.startsWith("layer")).findFirst().orElseThrow();
        String label = "P(電影)";
        int headerEnd = displayWidth(header.substring(0, header.indexOf(label) + label.length()));
        for (String row : rowsAfter(table.out(), "layer")) {
            // the second number ends where its header ends
            String[] cells = row.split("\\s+");
            int end = row.indexOf(cells[2], row.indexOf(cells[1]) + cells[1].length()) + cells[2].length();
            if (cells[0].equals("block")) {
                end = row.indexOf(cells[3], row.indexOf(cells[2]) + cells[2].length()) + cells[3].length();
            }
            assertThat(displayWidth(row.substring(0, end))).as(header + "\n" + row).isEqualTo(headerEnd);
        }
    }

    @Test
    void tokenTextIsWrittenOneWayInTokensAndTop() {
        CliRunner result = CliRunner.run("inspect", "-m", real.toString(), "-p", PROMPT, "--positions", "all",
                "--top", "5", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject json = JsonParser.parseString(result.out()).getAsJsonObject();
        JsonArray tokens = json.getAsJsonArray("tokens");
        java.util.Map<Integer, String> byId = new java.util.HashMap<>();
        for (var t : tokens) {
            JsonObject token = t.getAsJsonObject();
            String raw = token.get("text").getAsString();
            // the convention, written out here independently: space ␣, newline ↵, tab ⇥
            String expected = raw.replace(' ', '␣').replace('\n', '↵').replace('\t', '⇥');
            assertThat(token.get("token").getAsString()).isEqualTo(expected);
            byId.put(token.get("id").getAsInt(), expected);
        }
        assertThat(byId.values()).contains("↵", "⇥", "␣world", "的");
        int compared = 0;
        for (var layer : json.getAsJsonArray("layers")) {
            for (var position : layer.getAsJsonObject().getAsJsonArray("positions")) {
                for (var top : position.getAsJsonObject().getAsJsonArray("top")) {
                    String same = byId.get(top.getAsJsonObject().get("id").getAsInt());
                    if (same != null) {
                        assertThat(top.getAsJsonObject().get("token").getAsString()).isEqualTo(same);
                        compared++;
                    }
                }
            }
        }
        assertThat(compared).as("tied embeddings put prompt tokens in the top lists").isPositive();
    }

    /** Terminal cells, written independently of Cells: CJK and emoji take two, combining marks none. */
    private static int displayWidth(String s) {
        return s.codePoints().map(cp -> {
            Character.UnicodeScript script = Character.UnicodeScript.of(cp);
            if (Character.getType(cp) == Character.NON_SPACING_MARK || Character.getType(cp) == Character.FORMAT) {
                return 0;
            }
            return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                    || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL
                    || cp >= 0x1F300 && cp <= 0x1FAFF ? 2 : 1;
        }).sum();
    }

    /** The lines after the first one starting with {@code header}, up to the first blank line. */
    private static List<String> rowsAfter(String out, String header) {
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String line : out.split("\n", -1)) {
            if (in) {
                if (line.isBlank()) {
                    break;
                }
                rows.add(line);
            } else if (line.startsWith(header)) {
                in = true;
            }
        }
        return rows;
    }

    private static String[] concat(String[] args, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(Arrays.asList(more));
        return all.toArray(String[]::new);
    }
}
