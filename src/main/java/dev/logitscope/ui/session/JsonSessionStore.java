package dev.logitscope.ui.session;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The session as a JSON file, by default in the user's configuration folder. */
public final class JsonSessionStore implements SessionStore {
    private static final Logger log = LoggerFactory.getLogger(JsonSessionStore.class);
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path file;

    public JsonSessionStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** {@code $XDG_CONFIG_HOME/logitscope}, {@code %APPDATA%\Logitscope}, or {@code ~/.config/logitscope}. */
    public static JsonSessionStore inUserConfig() {
        return new JsonSessionStore(configFolder(System.getenv(), Path.of(System.getProperty("user.home")))
                .resolve("session.json"));
    }

    static Path configFolder(Map<String, String> env, Path home) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String appData = env.get("APPDATA");
        if (os.contains("win") && appData != null && !appData.isBlank()) {
            return Path.of(appData, "Logitscope");
        }
        if (os.contains("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("Logitscope");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".config")).resolve("logitscope");
    }

    @Override
    public Session load() {
        if (!Files.isRegularFile(file)) {
            return Session.defaults();
        }
        try {
            Session s = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Session.class);
            // Gson fills records through the canonical constructor, so missing fields get defaults.
            return s == null ? Session.defaults() : s;
        } catch (IOException | JsonParseException e) {
            log.warn("ignoring the unreadable session file {}: {}", file, e.getMessage());
            return Session.defaults();
        }
    }

    @Override
    public void save(Session session) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, GSON.toJson(session), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot save the session to {}: {}", file, e.getMessage());
        }
    }
}
