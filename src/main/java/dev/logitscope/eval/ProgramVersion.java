package dev.logitscope.eval;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The program that computed a result: the project version and, when it was built from a git
 * checkout, the commit (with "dirty" when the checkout had uncommitted changes to tracked files).
 * Maven writes {@code logitscope-build.properties} at build time (see pom.xml).
 */
public record ProgramVersion(String version, String commit, boolean dirty) {
    public static final String RESOURCE = "/logitscope-build.properties";

    public static ProgramVersion current() {
        Properties p = new Properties();
        try (InputStream in = ProgramVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as unknown below
        }
        return new ProgramVersion(p.getProperty("version", "unknown"), p.getProperty("commit", ""),
                Boolean.parseBoolean(p.getProperty("dirty", "false")));
    }

    /** {@code 0.1.0 (commit abc…, dirty)}: how messages name it. */
    public String describe() {
        return version + (commit.isEmpty() ? " (commit unknown)" : " (commit " + commit + (dirty ? ", dirty" : "") + ")");
    }
}
