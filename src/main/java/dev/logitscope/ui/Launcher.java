package dev.logitscope.ui;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.application.Application;

/**
 * Entry point of the desktop app. A separate class because {@code java -jar} with a main class
 * that extends {@code Application} fails with "JavaFX runtime components are missing".
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        int code = launch(List.of(args), new PrintWriter(System.err, true));
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the app until its window closes. Without a display it says so in one line and returns
     * 1, instead of JavaFX's stack trace.
     */
    public static int launch(List<String> args, PrintWriter err) {
        Optional<String> missing = missingDisplay(System.getenv(), System.getProperty("os.name", ""),
                System.getProperty("glass.platform"));
        if (missing.isPresent()) {
            err.println("error: " + missing.get());
            return 1;
        }
        try {
            Application.launch(LogitscopeApp.class, args.toArray(String[]::new));
            return 0;
        } catch (UnsupportedOperationException e) {
            // GTK could not open the display that DISPLAY names (a stale or unreachable X server)
            err.println("error: the desktop app cannot open the display (" + e.getMessage() + "). The command line"
                    + " works without one: ./logitscope --help.");
            return 1;
        }
    }

    /**
     * Why the app cannot show a window here, if it cannot: on Linux and the other X11/Wayland
     * systems a window needs DISPLAY or WAYLAND_DISPLAY (macOS and Windows always have a display;
     * a headless Monocle platform, as the tests use, needs none).
     */
    static Optional<String> missingDisplay(Map<String, String> env, String osName, String glassPlatform) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("windows") || "monocle".equalsIgnoreCase(glassPlatform)) {
            return Optional.empty();
        }
        if (isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"))) {
            return Optional.empty();
        }
        return Optional.of("the desktop app needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set (a"
                + " terminal without a graphical session, e.g. over ssh: use ssh -X, or run the command line:"
                + " ./logitscope --help).");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
