package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSettingsTest {

    @TempDir
    Path home;

    HubSettings from(Map<String, String> env) {
        try {
            return HubSettings.fromEnvironment(env, home);
        } catch (HubException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUnusableEndpointIsAClearError() {
        for (String bad : new String[] {"http://exa mple", "huggingface.co", "ftp://x", "https://"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", bad), home))
                    .as(bad).isInstanceOf(HubException.class).hasMessageContaining("HF_ENDPOINT");
        }
    }

    @Test
    void defaultsMatchHuggingfaceHub() {
        HubSettings s = from(Map.of());

        assertThat(s.endpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(s.cacheDir()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(s.token()).isEmpty();
        assertThat(s.offline()).isFalse();
    }

    @Test
    void hfHubCacheWinsOverHfHome() {
        assertThat(from(Map.of("HF_HOME", "/data/hf")).cacheDir()).isEqualTo(Path.of("/data/hf/hub"));
        assertThat(from(Map.of("HF_HOME", "/data/hf", "HF_HUB_CACHE", "/fast/cache")).cacheDir())
                .isEqualTo(Path.of("/fast/cache"));
        assertThat(from(Map.of("HF_HOME", "~/hf")).cacheDir()).isEqualTo(home.resolve("hf/hub"));
        assertThat(from(Map.of("HF_HUB_CACHE", "")).cacheDir()).isEqualTo(home.resolve(".cache/huggingface/hub"));
    }

    @Test
    void endpointLosesItsTrailingSlash() {
        assertThat(from(Map.of("HF_ENDPOINT", "https://hf-mirror.com/")).endpoint())
                .isEqualTo(URI.create("https://hf-mirror.com"));
    }

    @Test
    void offlineAcceptsTheUsualTrueValues() {
        for (String v : new String[] {"1", "true", "TRUE", "yes", "on"}) {
            assertThat(from(Map.of("HF_HUB_OFFLINE", v)).offline()).as(v).isTrue();
        }
        for (String v : new String[] {"0", "false", "no", "off", ""}) {
            assertThat(from(Map.of("HF_HUB_OFFLINE", v)).offline()).as(v).isFalse();
        }
    }

    @Test
    void tokenFromHfTokenElseFromTheLoginFile() throws IOException {
        Path tokenFile = home.resolve(".cache/huggingface/token");
        Files.createDirectories(tokenFile.getParent());
        Files.writeString(tokenFile, "hf_from_file\n");

        assertThat(from(Map.of()).token()).contains("hf_from_file");
        assertThat(from(Map.of("HF_TOKEN", "hf_from_env")).token()).contains("hf_from_env");
    }

    /**
     * Each row: an environment and the HF_HUB_CACHE that huggingface_hub's constants.py (commit
     * ee0a4510, run under CPython 3.11 with exactly that environment) computes from it.
     */
    @Test
    void cacheFolderIsWhatHuggingfaceHubComputes() {
        Object[][] cases = {
                {Map.of("HOME", "/home/alice"), "/home/alice/.cache/huggingface/hub"},
                {Map.of("HOME", "/home/alice/"), "/home/alice/.cache/huggingface/hub"},
                {Map.of("HOME", "/home/alice", "XDG_CACHE_HOME", "/xdg/cache"), "/xdg/cache/huggingface/hub"},
                {Map.of("HOME", "/home/alice", "XDG_CACHE_HOME", "~/xc"), "/home/alice/xc/huggingface/hub"},
                {Map.of("HOME", "/home/alice", "XDG_CACHE_HOME", "/xdg", "HF_HOME", "/data/hf"), "/data/hf/hub"},
                {Map.of("HOME", "/home/alice", "HF_HOME", "/data/hf", "HUGGINGFACE_HUB_CACHE", "/legacy/hub"), "/legacy/hub"},
                {Map.of("HOME", "/home/alice", "HUGGINGFACE_HUB_CACHE", "/legacy/hub", "HF_HUB_CACHE", "/new/hub"), "/new/hub"},
                {Map.of("HOME", "/home/alice", "SCRATCH", "/scratch/a", "HF_HOME", "$SCRATCH/hf",
                        "HF_HUB_CACHE", "${SCRATCH}/hub-$USER_UNKNOWN/x"), "/scratch/a/hub-$USER_UNKNOWN/x"},
                {Map.of("HOME", "/home/alice", "SCRATCH", "/scratch/a", "HF_HOME", "$SCRATCH/hf"), "/scratch/a/hf/hub"},
                {Map.of("HOME", "/home/alice", "D", "~/notexpanded", "HF_HOME", "$D"), "/home/alice/notexpanded/hub"},
                {Map.of("HOME", "/home/alice", "W", "/w", "HUGGINGFACE_HUB_CACHE", "$W/c"), "/w/c"},
                {Map.of("HOME", "/home/alice", "A", "$B", "B", "/b", "HF_HOME", "$A"), "/b/hub"},
                {Map.of("HOME", "/home/alice", "X", "/x", "HF_HOME", "${X/a$X"), "${X/a/x/hub"},
                {Map.of("HOME", "/home/alice", "E", "", "HF_HOME", "/a$E/b"), "/a/b/hub"},
                {Map.of("HOME", "/"), "/.cache/huggingface/hub"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Map<String, String> env = (Map<String, String>) c[0];
            assertThat(from(env).cacheDir()).as(env.toString()).isEqualTo(Path.of((String) c[1]));
        }
    }

    @Test
    void homeComesFromTheEnvironmentBeforeThePasswordDatabase() {
        // Java's user.home is the password database's entry; Python's ~ is $HOME when it is set.
        assertThat(from(Map.of("HOME", "/env/home")).cacheDir()).isEqualTo(Path.of("/env/home/.cache/huggingface/hub"));
        assertThat(from(Map.of()).cacheDir()).isEqualTo(home.resolve(".cache/huggingface/hub"));
    }

    @Test
    void tildeUserIsLookedUpLikePwdGetpwnam() throws HubException {
        Map<String, String> env = Map.of("HOME", "/home/alice", "HF_HOME", "~bob/hf");
        PythonPaths paths = new PythonPaths(env, Optional.of("/pw"),
                u -> u.equals("bob") ? Optional.of("/users/bob") : Optional.empty(), false);
        assertThat(HubSettings.fromEnvironment(env, paths).cacheDir()).isEqualTo(Path.of("/users/bob/hf/hub"));
        // An unknown user leaves the path as written, as Python does.
        Map<String, String> unknown = Map.of("HOME", "/home/alice", "HF_HOME", "/x/~nosuchuser", "HF_HUB_CACHE", "~nosuchuser/hub");
        assertThat(HubSettings.fromEnvironment(unknown, paths).cacheDir()).isEqualTo(Path.of("~nosuchuser/hub"));
    }

    @Test
    void transformersOfflineIsTheLegacySpellingAndHfHubOfflineWins() {
        assertThat(from(Map.of("TRANSFORMERS_OFFLINE", "1")).offline()).isTrue();
        assertThat(from(Map.of("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1")).offline()).isFalse();
        assertThat(from(Map.of("HF_HUB_OFFLINE", "", "TRANSFORMERS_OFFLINE", "yes")).offline()).isTrue();
        assertThat(from(Map.of("HF_HUB_OFFLINE", "Yes")).offline()).isTrue();
        // _is_true compares without trimming.
        assertThat(from(Map.of("HF_HUB_OFFLINE", " 1")).offline()).isFalse();
    }

    @Test
    void legacyTokenVariableAndTokenFileLocations() throws IOException {
        assertThat(from(Map.of("HUGGING_FACE_HUB_TOKEN", "hf_legacy")).token()).contains("hf_legacy");
        assertThat(from(Map.of("HUGGING_FACE_HUB_TOKEN", "hf_legacy")).tokenSource()).isEqualTo("HUGGING_FACE_HUB_TOKEN");
        assertThat(from(Map.of("HF_TOKEN", "hf_new", "HUGGING_FACE_HUB_TOKEN", "hf_legacy")).token()).contains("hf_new");

        // $HF_HOME/token, with HF_HOME expanded like the cache.
        Path hfHome = home.resolve("hf-home");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "hf_in\r\nside\n");
        Map<String, String> env = Map.of("HOME", home.toString(), "HF_HOME", "~/hf-home");
        assertThat(from(env).token()).as("newlines removed as _clean_token does").contains("hf_inside");
        assertThat(from(env).tokenSource()).contains(hfHome.resolve("token").toString());

        // HF_TOKEN_PATH, with $VARS expanded; a blank HF_TOKEN falls through to the file.
        Path elsewhere = home.resolve("secrets/hf");
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, "  hf_elsewhere  ");
        assertThat(from(Map.of("SECRETS", home.resolve("secrets").toString(), "HF_TOKEN_PATH", "$SECRETS/hf",
                "HF_TOKEN", " ")).token()).contains("hf_elsewhere");
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(from(Map.of("HF_TOKEN", "hf_secret")).toString()).doesNotContain("hf_secret").contains("(set)");
    }
}
