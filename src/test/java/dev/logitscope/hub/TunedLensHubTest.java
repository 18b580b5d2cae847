package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.tensors.DType;
import dev.logitscope.testing.TunedLensFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published tuned lens is fetched as tuned-lens's load_lens_artifacts fetches it with
 * huggingface_hub: {@code hf_hub_download(repo_id="AlignmentResearch/tuned-lens", repo_type="space",
 * subfolder="lens/gpt2", filename=...)} asks {@code {endpoint}/spaces/AlignmentResearch/tuned-lens/resolve/main/lens/gpt2/params.pt}
 * (hf_hub_url: the "spaces/" prefix before the repo id) and caches it under
 * {@code spaces--AlignmentResearch--tuned-lens} (repo_folder_name: "{type}s--org--name") with the
 * usual blobs / refs / snapshots layout; offline it is served from there.
 */
class TunedLensHubTest {
    static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    static final String SPACE = "spaces/AlignmentResearch/tuned-lens";

    @TempDir
    Path dir;
    FakeHub hub;
    TunedLensFixture lens;
    byte[] params;
    byte[] config;

    @BeforeEach
    void setUp() throws IOException {
        lens = TunedLensFixture.write(dir.resolve("made"), 16, 2, 50257, TunedLensFixture.Layout.MODULE_LIST, DType.F32,
                3, 0.5, true);
        params = Files.readAllBytes(lens.folder().resolve("params.pt"));
        config = Files.readAllBytes(lens.folder().resolve("config.json"));
        hub = new FakeHub().repo(SPACE, COMMIT)
                .file(SPACE, "lens/gpt2/params.pt", params, true)
                .file(SPACE, "lens/gpt2/config.json", config, false)
                .file(SPACE, "lens/EleutherAI/pythia-70m/params.pt", params, true)
                .file(SPACE, "lens/EleutherAI/pythia-70m/config.json", config, false);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    private TunedLensHub lenses(boolean offline, Map<String, String> env) throws HubException {
        return new TunedLensHub(new HubClient(new HubSettings(hub.endpoint(), dir.resolve("cache"), Optional.empty(),
                offline)), env);
    }

    @Test
    void aLensIsFetchedFromTheSpaceIntoTheSpacesCacheFolder() throws Exception {
        Path folder = lenses(false, Map.of()).fetch("gpt2", null, null);

        Path repo = dir.resolve("cache").resolve("spaces--AlignmentResearch--tuned-lens");
        assertThat(folder).isEqualTo(repo.resolve("snapshots").resolve(COMMIT).resolve("lens").resolve("gpt2"));
        assertThat(Files.readAllBytes(folder.resolve("params.pt"))).isEqualTo(params);
        assertThat(Files.readAllBytes(folder.resolve("config.json"))).isEqualTo(config);
        // huggingface_hub's layout: relative links into blobs/ named by etag (the sha256 of an LFS file), refs/main
        assertThat(Files.isSymbolicLink(folder.resolve("params.pt"))).isTrue();
        assertThat(Files.readSymbolicLink(folder.resolve("params.pt")).toString())
                .isEqualTo("../../../../blobs/" + sha256(params));
        assertThat(Files.readString(repo.resolve("refs").resolve("main"), StandardCharsets.UTF_8)).isEqualTo(COMMIT);
        assertThat(hub.requests("HEAD").stream().map(FakeHub.Request::path).toList()).containsExactly(
                "/spaces/AlignmentResearch/tuned-lens/resolve/main/lens/gpt2/params.pt",
                "/spaces/AlignmentResearch/tuned-lens/resolve/" + COMMIT + "/lens/gpt2/config.json");
        assertThat(Files.exists(dir.resolve("cache").resolve(".locks").resolve("spaces--AlignmentResearch--tuned-lens")))
                .isTrue();

        // A lens named by an org/name model sits two folders down.
        Path pythia = lenses(false, Map.of()).fetch("EleutherAI/pythia-70m", null, null);
        assertThat(pythia).isEqualTo(repo.resolve("snapshots").resolve(COMMIT).resolve("lens/EleutherAI/pythia-70m"));
    }

    @Test
    void offlineTheCachedLensServesAndAMissingOneSaysHowToGetIt() throws Exception {
        lenses(false, Map.of()).fetch("gpt2", null, null);
        int before = hub.requests().size();
        Path cached = lenses(true, Map.of()).fetch("gpt2", null, null);
        assertThat(Files.readAllBytes(cached.resolve("params.pt"))).isEqualTo(params);
        assertThat(hub.requests()).hasSize(before); // nothing asked

        assertThatThrownBy(() -> lenses(true, Map.of()).fetch("gpt2-xl", null, null)).isInstanceOf(HubException.class)
                .hasMessageContaining("HF_HUB_OFFLINE is set")
                .hasMessageContaining("lens/gpt2-xl/params.pt, lens/gpt2-xl/config.json of " + SPACE)
                .hasMessageContaining("`./logitscope download tuned:gpt2-xl`")
                .hasMessageContaining("a folder holding the lens's config.json and params.pt");
    }

    @Test
    void anUnpublishedNameIsRefusedSayingWhatTheNameIs() {
        assertThatThrownBy(() -> lenses(false, Map.of()).fetch("gpt3", null, null)).isInstanceOf(HubException.class)
                .hasMessageStartingWith("No published tuned lens named 'gpt3': " + SPACE + " has no lens/gpt3/")
                .hasMessageContaining("e.g. gpt2");
        assertThatThrownBy(() -> lenses(false, Map.of()).fetch("../etc", null, null)).isInstanceOf(HubException.class)
                .hasMessageContaining("is not a tuned lens name");
    }

    @Test
    void theRepositoryCanBeOverriddenAsTunedLensAllows() throws Exception {
        String model = "someone/lenses";
        hub.repo(model, COMMIT).file(model, "lens/gpt2/params.pt", params, true).file(model, "lens/gpt2/config.json",
                config, false);
        TunedLensHub own = lenses(false, Map.of("TUNED_LENS_REPO_ID", model, "TUNED_LENS_REPO_TYPE", "model"));
        assertThat(own.repoId()).isEqualTo(model);
        Path folder = own.fetch("gpt2", null, null);
        assertThat(folder.toString()).contains("models--someone--lenses");
        assertThat(hub.requests("HEAD").get(0).path()).isEqualTo("/someone/lenses/resolve/main/lens/gpt2/params.pt");
        assertThatThrownBy(() -> lenses(false, Map.of("TUNED_LENS_REPO_TYPE", "bucket")))
                .hasMessageContaining("TUNED_LENS_REPO_TYPE");
    }

    @Test
    void repoFoldersAreNamedAsRepoFolderNameNamesThem() {
        HubCache cache = new HubCache(dir);
        assertThat(cache.repoFolder("openai-community/gpt2").getFileName().toString()).isEqualTo("models--openai-community--gpt2");
        assertThat(cache.repoFolder("gpt2").getFileName().toString()).isEqualTo("models--gpt2");
        assertThat(cache.repoFolder(SPACE).getFileName().toString()).isEqualTo("spaces--AlignmentResearch--tuned-lens");
        assertThat(cache.repoFolder("datasets/stanfordnlp/sst2").getFileName().toString())
                .isEqualTo("datasets--stanfordnlp--sst2");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
