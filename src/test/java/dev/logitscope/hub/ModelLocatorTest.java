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
        Path folder = modelFolder("my-model", ModelRepoFiles.DEFAULT.toArray(String[]::new));

        ModelSource source = locate(folder.toString());

        assertThat(source).isEqualTo(new ModelSource("my-model", folder.toAbsolutePath().normalize(), false));
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aFolderWithShardedWeightsIsUsedAsIs() throws IOException {
        Path folder = modelFolder("sharded", "config.json", "tokenizer.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        Files.writeString(folder.resolve("model.safetensors.index.json"), SHARD_INDEX);

        assertThat(locate(folder.toString()).folder()).isEqualTo(folder.toAbsolutePath().normalize());
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void folderMissingTheTokenizerNamesItAndTheRequiredFiles() throws IOException {
        Path folder = modelFolder("half", "config.json", "model.safetensors");

        assertThatThrownBy(() -> locate(folder.toString()))
                .isInstanceOf(HubException.class)
                .hasMessageContaining(folder.toAbsolutePath() + " lacks a tokenizer (tokenizer.json, or vocab.json and merges.txt).")
                .hasMessageContaining("needs " + ModelRepoFiles.NEEDS);
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
        for (String file : ModelRepoFiles.DEFAULT) {
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

    static final String SHARD_INDEX = "{\"metadata\": {\"total_size\": 8}, \"weight_map\": {"
            + "\"transformer.wte.weight\": \"model-00001-of-00002.safetensors\","
            + " \"transformer.h.0.ln_1.weight\": \"model-00002-of-00002.safetensors\","
            + " \"lm_head.weight\": \"model-00001-of-00002.safetensors\"}}";

    @Test
    void aFolderWithTheOldTokenizerFilesAndAPytorchCheckpointIsUsedAsIs() throws IOException {
        Path folder = modelFolder("opt-like", "config.json", "pytorch_model.bin", "vocab.json", "merges.txt");

        assertThat(locate(folder.toString()).folder()).isEqualTo(folder.toAbsolutePath().normalize());
    }

    @Test
    void aShardedFolderMissingAShardNamesIt() throws IOException {
        Path folder = modelFolder("half-sharded", "config.json", "tokenizer.json", "model-00001-of-00002.safetensors");
        Files.writeString(folder.resolve("model.safetensors.index.json"), SHARD_INDEX);

        assertThatThrownBy(() -> locate(folder.toString()))
                .hasMessageContaining("lacks model-00002-of-00002.safetensors, named by its index");
    }

    @Test
    void aRepoWithOnlyAPytorchCheckpointAndVocabMergesIsFetchedWithTheFilesItHas() throws IOException {
        String repo = "facebook/opt-tiny";
        byte[] weights = HubClientTest.randomBytes(5_000, 7);
        hub.repo(repo, COMMIT)
                .file(repo, "config.json", "{\"model_type\": \"opt\"}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "pytorch_model.bin", weights, true)
                .file(repo, "vocab.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "merges.txt", "#version: 0.2\n".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "tokenizer_config.json", "{\"add_bos_token\": true}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "README.md", "not fetched".getBytes(StandardCharsets.UTF_8), false);

        Path folder = locate(repo).folder();

        assertThat(folder.resolve("pytorch_model.bin")).hasBinaryContent(weights);
        for (String file : new String[] {"config.json", "vocab.json", "merges.txt", "tokenizer_config.json"}) {
            assertThat(folder.resolve(file)).isRegularFile();
        }
        assertThat(folder.resolve("README.md")).doesNotExist();
        assertThat(folder.resolve("model.safetensors")).doesNotExist();
        // Offline now: the choice is made from the cache, no request goes out.
        int before = hub.requests().size();
        ModelLocator offline = new ModelLocator(new HubClient(
                new HubSettings(hub.endpoint(), temp.resolve("cache"), Optional.empty(), true)));
        assertThat(offline.locate(repo, DownloadListener.NONE, () -> false).folder()).isEqualTo(folder);
        assertThat(hub.requests()).hasSize(before);
    }

    @Test
    void safetensorsWinOverAPytorchCheckpointAndTokenizerJsonOverVocabMerges() throws IOException {
        String repo = "someone/both";
        hub.repo(repo, COMMIT)
                .file(repo, "config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "model.safetensors", HubClientTest.randomBytes(3_000, 1), true)
                .file(repo, "pytorch_model.bin", HubClientTest.randomBytes(3_000, 2), true)
                .file(repo, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "vocab.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "merges.txt", "".getBytes(StandardCharsets.UTF_8), false);

        Path folder = locate(repo).folder();

        assertThat(folder.resolve("model.safetensors")).isRegularFile();
        assertThat(folder.resolve("pytorch_model.bin")).doesNotExist();
        assertThat(folder.resolve("vocab.json")).doesNotExist();
        assertThat(hub.requests("GET").stream().map(FakeHub.Request::path)).noneMatch(p -> p.endsWith("pytorch_model.bin"));
    }

    @Test
    void aShardedRepoBringsEveryShardItsIndexNames() throws IOException {
        String repo = "someone/sharded";
        hub.repo(repo, COMMIT)
                .file(repo, "config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "model.safetensors.index.json", SHARD_INDEX.getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "model-00001-of-00002.safetensors", HubClientTest.randomBytes(2_000, 3), true)
                .file(repo, "model-00002-of-00002.safetensors", HubClientTest.randomBytes(2_000, 4), true)
                .file(repo, "model-00003-of-00003.safetensors", HubClientTest.randomBytes(2_000, 5), true)
                .file(repo, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8), false);

        Path folder = locate(repo).folder();

        assertThat(folder.resolve("model-00001-of-00002.safetensors")).isRegularFile();
        assertThat(folder.resolve("model-00002-of-00002.safetensors")).isRegularFile();
        assertThat(folder.resolve("model-00003-of-00003.safetensors")).as("not in the index").doesNotExist();
    }

    @Test
    void aRepoWithoutWeightsSaysWhichFilesWouldDo() throws IOException {
        String repo = "someone/no-weights";
        hub.repo(repo, COMMIT)
                .file(repo, "config.json", "{}".getBytes(StandardCharsets.UTF_8), false)
                .file(repo, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8), false);

        assertThatThrownBy(() -> locate(repo))
                .hasMessageContaining(repo + " lacks model weights (model.safetensors, model.safetensors.index.json,"
                        + " pytorch_model.bin or pytorch_model.bin.index.json)")
                .hasMessageContaining("pass another repository");
    }

    private Path modelFolder(String name, String... files) throws IOException {
        Path folder = Files.createDirectories(temp.resolve(name));
        for (String file : files) {
            Files.writeString(folder.resolve(file), "{}");
        }
        return folder;
    }
}
