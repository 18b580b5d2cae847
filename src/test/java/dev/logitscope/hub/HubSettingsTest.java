package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void toStringHidesTheToken() {
        assertThat(from(Map.of("HF_TOKEN", "hf_secret")).toString()).doesNotContain("hf_secret").contains("(set)");
    }
}
