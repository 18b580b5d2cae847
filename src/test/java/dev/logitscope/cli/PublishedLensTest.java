package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.LocalHub;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TunedLensFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code inspect --lens tuned:NAME} and {@code download tuned:NAME}: a published tuned lens comes from
 * the Space AlignmentResearch/tuned-lens of a local hub into the cache, is read like a lens folder,
 * recorded in the provenance by repository, revision and file hashes, and served offline afterwards.
 */
class PublishedLensTest {
    static final String SPACE = "spaces/AlignmentResearch/tuned-lens";
    /** numpy 1.24.2's sha256(np.array_str(wte, precision=1)) of the checkpoint below (see TunedLensTest). */
    static final String UNEMBED_HASH = "26a52b1758a1c3e4f7ea8e8f8a087b7287bd936470f1e9a27d838bfe34ac12d9";

    @TempDir
    Path dir;
    TinyCheckpoint ckpt;
    LocalHub hub;
    TunedLensFixture lens;

    @BeforeEach
    void setUp() throws Exception {
        ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).seed(11).write(dir.resolve("model"));
        lens = TunedLensFixture.write(dir.resolve("lens"), 16, 2, ckpt.vocabSize(), TunedLensFixture.Layout.MODULE_LIST,
                DType.F32, 2, 0.5, true).withUnembedHash(UNEMBED_HASH);
        TunedLensFixture foreign = TunedLensFixture.write(dir.resolve("foreign"), 16, 2, ckpt.vocabSize(),
                TunedLensFixture.Layout.MODULE_LIST, DType.F32, 2, 0.5, true).withUnembedHash("7".repeat(64));
        hub = new LocalHub().files(SPACE, Map.of(
                "lens/tiny-gpt2/config.json", lens.folder().resolve("config.json"),
                "lens/tiny-gpt2/params.pt", lens.folder().resolve("params.pt"),
                "lens/other-model/config.json", foreign.folder().resolve("config.json"),
                "lens/other-model/params.pt", foreign.folder().resolve("params.pt")));
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private HubSettings settings(boolean offline) {
        return new HubSettings(hub.endpoint(), dir.resolve("cache"), Optional.empty(), offline);
    }

    private static CliRunner run(Callable<Integer> command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler(LogitscopeCommand.commandLine().getExecutionExceptionHandler());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new CliRunner(cli.execute(args), out.toString(), err.toString());
    }

    private CliRunner inspect(boolean offline, String lensName) {
        return run(new InspectCommand(settings(offline)), "-m", ckpt.folder().toString(), "--prompt", "Hello world",
                "--lens", lensName, "--json");
    }

    @Test
    void aPublishedLensIsFetchedByNameReadAndRecorded() throws Exception {
        CliRunner r = inspect(false, "tuned:tiny-gpt2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path cached = dir.resolve("cache/spaces--AlignmentResearch--tuned-lens/snapshots/" + hub.commit() + "/lens/tiny-gpt2");
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(json.get("lens").getAsString()).isEqualTo("tuned lens (" + cached + ")");
        JsonObject recorded = json.getAsJsonObject("provenance").getAsJsonObject("lens");
        assertThat(recorded.get("source").getAsString()).isEqualTo("hub");
        assertThat(recorded.get("repo").getAsString()).isEqualTo("AlignmentResearch/tuned-lens");
        assertThat(recorded.get("repo_type").getAsString()).isEqualTo("space");
        assertThat(recorded.get("revision").getAsString()).isEqualTo(hub.commit());
        assertThat(recorded.get("path").getAsString()).isEqualTo("lens/tiny-gpt2");
        assertThat(recorded.getAsJsonObject("sha256").get("params.pt").getAsString())
                .isEqualTo(sha256(lens.folder().resolve("params.pt")));
        assertThat(hub.requestedPaths()).contains(
                "HEAD /spaces/AlignmentResearch/tuned-lens/resolve/main/lens/tiny-gpt2/params.pt");

        // the same numbers as the lens given as a folder
        CliRunner local = run(new InspectCommand(settings(true)), "-m", ckpt.folder().toString(), "--prompt", "Hello world",
                "--lens", lens.folder().toString(), "--json");
        JsonObject localJson = JsonParser.parseString(local.out()).getAsJsonObject();
        assertThat(json.get("layers")).isEqualTo(localJson.get("layers"));

        // offline, from the cache, with nothing asked of the hub
        int asked = hub.requestedPaths().size();
        CliRunner offline = inspect(true, "tuned:tiny-gpt2");
        assertThat(offline.exitCode()).as(offline.err()).isZero();
        assertThat(hub.requestedPaths()).hasSize(asked);
    }

    @Test
    void aPublishedLensForAnotherModelIsRefusedByItsUnembedHash() {
        CliRunner r = inspect(false, "tuned:other-model");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unembed_hash " + "7".repeat(64)).contains("this model's is " + UNEMBED_HASH)
                .doesNotContain("\tat ");
    }

    @Test
    void missingNamesAndAnOfflineCacheWithoutTheLensSayWhatToDo() {
        CliRunner missing = inspect(false, "tuned:gpt5");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("No published tuned lens named 'gpt5'").doesNotContain("\tat ");
        CliRunner offline = inspect(true, "tuned:tiny-gpt2");
        assertThat(offline.exitCode()).isEqualTo(1);
        assertThat(offline.err()).contains("HF_HUB_OFFLINE").contains("./logitscope download tuned:tiny-gpt2");
    }

    @Test
    void downloadFetchesALensAheadOfTimeAndPrintsItsFolder() throws Exception {
        CliRunner r = run(new DownloadCommand(settings(false)), "tuned:tiny-gpt2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path folder = Path.of(r.out().strip());
        assertThat(folder.getFileName().toString()).isEqualTo("tiny-gpt2");
        assertThat(Files.readAllBytes(folder.resolve("params.pt"))).isEqualTo(Files.readAllBytes(lens.folder().resolve("params.pt")));
        assertThat(inspect(true, "tuned:tiny-gpt2").exitCode()).isZero();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
