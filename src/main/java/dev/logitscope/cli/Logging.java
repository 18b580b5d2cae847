package dev.logitscope.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How much the libraries say on stderr. Quiet by default (src/main/resources/simplelogger.properties
 * keeps warnings only and drops DJL's start-up lines and its GPU probe's warning; JavaFX's own
 * java.util.logging warnings, such as "Unsupported JavaFX configuration", are dropped here);
 * {@code -v/--verbose} brings every INFO line back with its thread and logger.
 *
 * <p>slf4j-simple reads its settings once, when the first logger is made, and system properties
 * override the properties file: {@link #configure} must run before anything logs, which the
 * command line guarantees by calling it right after parsing the arguments.
 */
public final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";
    /** Held so the levels set on them are not lost when the loggers are garbage collected. */
    private static final Logger ROOT = Logger.getLogger("");
    private static final Logger JAVAFX = Logger.getLogger("javafx");

    private Logging() {}

    public static void configure(boolean verbose) {
        if (verbose) {
            System.setProperty(PREFIX + "defaultLogLevel", "info");
            System.setProperty(PREFIX + "log.ai.djl.util.cuda", "info");
            System.setProperty(PREFIX + "showThreadName", "true");
            System.setProperty(PREFIX + "showShortLogName", "true");
            System.setProperty(PREFIX + "warnLevelString", "WARN");
            ROOT.setLevel(Level.INFO);
            JAVAFX.setLevel(null);
        } else {
            // JavaFX warns through java.util.logging when its classes are on the class path rather
            // than the module path, which is how this app runs and works; the user can do nothing about it.
            ROOT.setLevel(Level.WARNING);
            JAVAFX.setLevel(Level.SEVERE);
        }
    }
}
