package dev.logitscope.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the Hub is, where its cache lives, how to authenticate and whether the network may be
 * used. Read from the same environment variables as Python's huggingface_hub, so both tools share
 * one cache and one configuration.
 *
 * @param endpoint the Hub base URL, without a trailing slash
 * @param cacheDir the hub cache folder (the one holding {@code models--org--name} folders)
 * @param token    the access token sent as {@code Authorization: Bearer}, if any
 * @param offline  true when only the cache may be used
 */
public record HubSettings(URI endpoint, Path cacheDir, Optional<String> token, boolean offline) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    private static final Set<String> TRUE_VALUES = Set.of("1", "true", "yes", "on");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(token, "token");
        endpoint = stripTrailingSlash(endpoint);
    }

    /** The same settings, online or offline. */
    public HubSettings withOffline(boolean offline) {
        return new HubSettings(endpoint, cacheDir, token, offline);
    }

    /** Settings from the process environment and the user's home folder. */
    public static HubSettings fromSystem() throws HubException {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Settings from an environment, with huggingface_hub's precedence: the cache is
     * {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}. The
     * token is {@code HF_TOKEN}, else the file written by {@code huggingface-cli login}
     * ({@code HF_TOKEN_PATH}, else {@code $HF_HOME/token}). Empty variables count as unset.
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path userHome) throws HubException {
        Optional<String> configured = value(env, "HF_ENDPOINT");
        URI endpoint = configured.isPresent() ? endpoint(configured.get()) : DEFAULT_ENDPOINT;

        Path hfHome = value(env, "HF_HOME")
                .map(v -> expandHome(v, userHome))
                .orElse(userHome.resolve(".cache").resolve("huggingface"));
        Path cacheDir = value(env, "HF_HUB_CACHE")
                .map(v -> expandHome(v, userHome))
                .orElse(hfHome.resolve("hub"));

        Optional<String> token = value(env, "HF_TOKEN");
        if (token.isEmpty()) {
            Path tokenFile = value(env, "HF_TOKEN_PATH")
                    .map(v -> expandHome(v, userHome))
                    .orElse(hfHome.resolve("token"));
            token = readToken(tokenFile);
        }

        boolean offline = value(env, "HF_HUB_OFFLINE")
                .map(v -> TRUE_VALUES.contains(v.toLowerCase(Locale.ROOT)))
                .orElse(false);
        return new HubSettings(endpoint, cacheDir, token, offline);
    }

    /** Settings from the system as {@link #fromSystem}, but with the default endpoint whatever HF_ENDPOINT says. */
    public static HubSettings fromSystemWithDefaultEndpoint() {
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.remove("HF_ENDPOINT");
        try {
            return fromEnvironment(env, Path.of(System.getProperty("user.home")));
        } catch (HubException e) {
            throw new IllegalStateException("only HF_ENDPOINT can be invalid", e);
        }
    }

    /** An http(s) address with a host, or a clear error naming HF_ENDPOINT. */
    static URI endpoint(String value) throws HubException {
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new HubException("HF_ENDPOINT is '" + value + "', which is not an http(s) address such as"
                + " https://huggingface.co; fix or unset it.");
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** huggingface_hub expands {@code ~} in these paths; so do we, so both land in the same folder. */
    private static Path expandHome(String value, Path userHome) {
        if (value.equals("~")) {
            return userHome;
        }
        if (value.startsWith("~/") || value.startsWith("~\\")) {
            return userHome.resolve(value.substring(2));
        }
        return Path.of(value);
    }

    private static Optional<String> readToken(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException | SecurityException e) {
            // An unreadable token file only matters for gated models, where the 401 message explains.
            return Optional.empty();
        }
    }

    private static URI stripTrailingSlash(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? URI.create(s.replaceAll("/+$", "")) : uri;
    }

    /** Keeps the token out of logs and exception messages. */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", cacheDir=" + cacheDir
                + ", token=" + (token.isPresent() ? "(set)" : "(none)") + ", offline=" + offline + "]";
    }
}
