package dev.logitscope.hub;

import static dev.logitscope.hub.HubClientTest.COMMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {

    @TempDir
    Path temp;
    FakeHub hub;
    ModelLocator locator;

    @BeforeEach
    void setUp() throws IOException {
        hub = new FakeHub();
        for (String repo : new String[] {"openai-community/gpt2", "distilbert/distilgpt2", "someone/tiny-gpt2"}) {
            hub.repo(repo, COMMIT)
                    .file(repo, "config.json", ("{\"repo\": \"" + repo + "\"}").getBytes(StandardCharsets.UTF_8), false)
                    .file(repo, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                    .file(repo, "model.safetensors", HubClientTest.randomBytes(10_000, repo.hashCode()), true);
        }
        HubSettings settings = new HubSettings(hub.endpoint(), temp.resolve("cache"), Optional.empty(), false);
        locator = new ModelLocator(new HubClient(settings));
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    ModelSource locate(String arg) throws HubException {
        return locator.locate(arg, DownloadListener.NONE, () -> false);
    }

    @Test
    void usesAnExistingFolderAsIs() throws IOException {
        Path folder = modelFolder("my-model", ModelLocator.MODEL_FILES.toArray(String[]::new));

        ModelSource source = locate(folder.toString());

        assertThat(source).isEqualTo(new ModelSource("my-model", folder.toAbsolutePath().normalize(), false));
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aFolderWithShardedWeightsIsUsedAsIs() throws IOException {
        Path folder = modelFolder("sharded", "config.json", "tokenizer.json", "model.safetensors.index.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");

        assertThat(locate(folder.toString()).folder()).isEqualTo(folder.toAbsolutePath().normalize());
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void folderMissingTheTokenizerNamesItAndTheRequiredFiles() throws IOException {
        Path folder = modelFolder("half", "config.json", "model.safetensors");

        assertThatThrownBy(() -> locate(folder.toString()))
                .isInstanceOf(HubException.class)
                .hasMessageContaining(folder.toAbsolutePath() + " lacks tokenizer.json.")
                .hasMessageContaining("needs config.json, model.safetensors and tokenizer.json");
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aFileIsNotAModelFolder() throws IOException {
        Path file = Files.writeString(temp.resolve("model.safetensors"), "x");

        assertThatThrownBy(() -> locate(file.toString())).hasMessageContaining("is a file, not a folder");
    }

    @Test
    void shortNamesResolveThroughTheCatalog() throws IOException {
        ModelSource gpt2 = locate("gpt2");
        ModelSource distil = locate("distilgpt2");

        assertThat(gpt2.name()).isEqualTo("gpt2");
        assertThat(gpt2.fromHub()).isTrue();
        assertThat(gpt2.folder()).isEqualTo(temp.resolve("cache/models--openai-community--gpt2/snapshots/" + COMMIT));
        assertThat(distil.name()).isEqualTo("distilgpt2");
        assertThat(distil.folder().toString()).contains("models--distilbert--distilgpt2");
        for (String file : ModelLocator.MODEL_FILES) {
            assertThat(gpt2.folder().resolve(file)).isRegularFile();
        }
    }

    @Test
    void repoIdsOutsideTheCatalogAreFetchedByName() throws IOException {
        ModelSource source = locate("someone/tiny-gpt2");

        assertThat(source.name()).isEqualTo("someone/tiny-gpt2");
        assertThat(Files.readString(source.folder().resolve("config.json"))).contains("someone/tiny-gpt2");
    }

    @Test
    void catalogRepoIdIsNamedByItsShortName() throws IOException {
        assertThat(locate("openai-community/gpt2").name()).isEqualTo("gpt2");
    }

    @Test
    void pathLikeArgumentsThatDoNotExistAreNotSentToTheHub() {
        for (String arg : new String[] {"./models/gpt2", "/no/such/model", "~/no-such-model-dir", "models/gpt2/",
                "a/b/c", "..\\gpt2"}) {
            assertThatThrownBy(() -> locate(arg)).as(arg)
                    .isInstanceOf(HubException.class)
                    .hasMessageContaining("no such folder");
        }
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void unknownNameIsReportedAsNotFound() {
        assertThatThrownBy(() -> locate("nobody/nothing")).hasMessageContaining("not found (HTTP 404)");
    }

    @Test
    void blankArgumentExplainsWhatToPass() {
        assertThatThrownBy(() -> locate("  ")).hasMessageContaining("no model given");
    }

    @Test
    void looksLikePathSparesRepoIdsAndShortNames() {
        assertThat(ModelLocator.looksLikePath("gpt2")).isFalse();
        assertThat(ModelLocator.looksLikePath("openai-community/gpt2-xl")).isFalse();
        assertThat(ModelLocator.looksLikePath("C:\\models\\gpt2")).isTrue();
        assertThat(ModelLocator.looksLikePath(".hidden")).isTrue();
    }

    private Path modelFolder(String name, String... files) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(name));
        for (String file : files) {
            Files.writeString(folder.resolve(file), "{}");
        }
        return folder;
    }
}
