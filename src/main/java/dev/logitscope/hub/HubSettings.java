package dev.logitscope.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the Hub is, where its cache lives, how to authenticate and whether the network may be
 * used. Read from the same environment variables as Python's huggingface_hub (its
 * {@code constants.py} and {@code utils/_auth.py}), so both tools share one cache and one
 * configuration.
 *
 * @param endpoint    the Hub base URL, without a trailing slash
 * @param cacheDir    the hub cache folder (the one holding {@code models--org--name} folders)
 * @param token       the access token sent as {@code Authorization: Bearer}, if any
 * @param offline     true when only the cache may be used
 * @param tokenSource where the token came from ({@code HF_TOKEN}, {@code HUGGING_FACE_HUB_TOKEN} or
 *                    the token file's path), for messages about a rejected token; empty without one
 */
public record HubSettings(URI endpoint, Path cacheDir, Optional<String> token, boolean offline, String tokenSource) {

    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    private static final Logger log = LoggerFactory.getLogger(HubSettings.class);

    /** huggingface_hub's ENV_VARS_TRUE_VALUES, compared after upper-casing and without trimming, as there. */
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenSource, "tokenSource");
        endpoint = stripTrailingSlash(endpoint);
        tokenSource = token.isPresent() ? (tokenSource.isEmpty() ? "HF_TOKEN" : tokenSource) : "";
    }

    /** Settings whose token, if any, came from {@code HF_TOKEN}. */
    public HubSettings(URI endpoint, Path cacheDir, Optional<String> token, boolean offline) {
        this(endpoint, cacheDir, token, offline, "");
    }

    /** The same settings, online or offline. */
    public HubSettings withOffline(boolean offline) {
        return new HubSettings(endpoint, cacheDir, token, offline, tokenSource);
    }

    /**
     * Settings from the process environment. {@code ~} is {@code $HOME} when set, as in Python;
     * Java's {@code user.home} (the password database's entry) only stands in when it is not.
     */
    public static HubSettings fromSystem() throws HubException {
        return fromEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Settings from an environment, with huggingface_hub's precedence (constants.py):
     * <ul>
     * <li>{@code HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface};</li>
     * <li>the cache is {@code HF_HUB_CACHE}, else the legacy {@code HUGGINGFACE_HUB_CACHE}, else
     *     {@code $HF_HOME/hub};</li>
     * <li>the token is {@code HF_TOKEN}, else the legacy {@code HUGGING_FACE_HUB_TOKEN}, else the file
     *     {@code HF_TOKEN_PATH}, else {@code $HF_HOME/token} (newlines removed, spaces trimmed);</li>
     * <li>offline when {@code HF_HUB_OFFLINE}, else {@code TRANSFORMERS_OFFLINE}, is 1/ON/YES/TRUE.</li>
     * </ul>
     * Each path goes through {@code os.path.expanduser} then {@code os.path.expandvars}, as there.
     * One deliberate difference: a variable set to the empty string counts as unset (Python would
     * take "" as a path relative to the working folder).
     *
     * @param passwdHome the current user's home in the password database, used for {@code ~} when
     *                   {@code HOME} is not in {@code env}
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path passwdHome) throws HubException {
        return fromEnvironment(env, PythonPaths.forEnvironment(env, passwdHome));
    }

    static HubSettings fromEnvironment(Map<String, String> env, PythonPaths paths) throws HubException {
        Optional<String> configured = value(env, "HF_ENDPOINT");
        URI endpoint = configured.isPresent() ? endpoint(configured.get()) : DEFAULT_ENDPOINT;

        String defaultHome = paths.join(paths.home(), ".cache");
        String hfHome = paths.expand(value(env, "HF_HOME")
                .orElseGet(() -> paths.join(value(env, "XDG_CACHE_HOME").orElse(defaultHome), "huggingface")));
        String hubCache = paths.expand(value(env, "HF_HUB_CACHE")
                .or(() -> value(env, "HUGGINGFACE_HUB_CACHE"))
                .orElseGet(() -> paths.join(hfHome, "hub")));
        Path cacheDir = path(hubCache, "HF_HUB_CACHE");

        String tokenSource = value(env, "HF_TOKEN").isPresent() ? "HF_TOKEN" : "HUGGING_FACE_HUB_TOKEN";
        Optional<String> token = cleanToken(value(env, "HF_TOKEN").or(() -> value(env, "HUGGING_FACE_HUB_TOKEN")));
        if (token.isEmpty()) {
            Path tokenFile = path(paths.expand(value(env, "HF_TOKEN_PATH")
                    .orElseGet(() -> paths.join(hfHome, "token"))), "HF_TOKEN_PATH");
            token = readToken(tokenFile);
            tokenSource = "the token file " + tokenFile;
        }

        boolean offline = value(env, "HF_HUB_OFFLINE").or(() -> value(env, "TRANSFORMERS_OFFLINE"))
                .map(v -> TRUE_VALUES.contains(v.toUpperCase(Locale.ROOT)))
                .orElse(false);
        return new HubSettings(endpoint, cacheDir, token, offline, tokenSource);
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

    /** A variable's value as written (no trimming, as os.getenv); set-but-empty counts as unset. */
    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private static Path path(String value, String variable) throws HubException {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new HubException(variable + " (or HF_HOME) gives '" + value + "', which is not a usable path ("
                    + e.getReason() + "); fix or unset it.");
        }
    }

    /** huggingface_hub's {@code _clean_token}: newlines removed, then spaces trimmed; empty is no token. */
    static Optional<String> cleanToken(Optional<String> token) {
        return token.map(t -> t.replace("\r", "").replace("\n", "").strip()).filter(t -> !t.isEmpty());
    }

    private static Optional<String> readToken(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return cleanToken(Optional.of(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | SecurityException e) {
            // Python would stop here; a warning keeps public models usable and the 401 message explains the rest.
            log.warn("cannot read the Hugging Face token file {} ({}); continuing without a token", file, e.toString());
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
                + ", token=" + (token.isPresent() ? "(set)" : "(none)")
                + ", offline=" + offline + "]";
    }
}
