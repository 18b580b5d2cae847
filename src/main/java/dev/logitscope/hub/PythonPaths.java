package dev.logitscope.hub;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code os.path.expanduser}, {@code os.path.expandvars} and {@code os.path.join}
 * (posixpath, or ntpath on Windows) over a given environment. huggingface_hub passes its path
 * variables through these, so doing the same lands both tools in the same folder: {@code ~} is
 * {@code $HOME} when set (Java's {@code user.home} is the password database's entry instead), and
 * unknown variables stay as written.
 */
final class PythonPaths {

    /** posixpath's {@code \$(\w+|\{[^}]*\})} with re.ASCII. */
    private static final Pattern POSIX_VAR = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[^}]*\\})");
    private static final String NT_VAR_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";

    private final Map<String, String> env;
    private final Optional<String> passwdHome;
    private final Function<String, Optional<String>> passwdLookup;
    private final boolean windows;

    /**
     * @param env          the process environment
     * @param passwdHome   the current user's home in the password database ({@code pwd.getpwuid(os.getuid())})
     * @param passwdLookup another user's home by name ({@code pwd.getpwnam}), for {@code ~user}
     * @param windows      ntpath rules instead of posixpath
     */
    PythonPaths(Map<String, String> env, Optional<String> passwdHome, Function<String, Optional<String>> passwdLookup,
                boolean windows) {
        Objects.requireNonNull(env, "env");
        if (windows) {
            // Windows variable names ignore case (Python's os.environ upper-cases them; Java's getenv() map does not).
            java.util.TreeMap<String, String> insensitive = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            insensitive.putAll(env);
            env = insensitive;
        }
        this.env = env;
        this.passwdHome = Objects.requireNonNull(passwdHome, "passwdHome");
        this.passwdLookup = Objects.requireNonNull(passwdLookup, "passwdLookup");
        this.windows = windows;
    }

    /** This process: its environment, Java's {@code user.home} (read from the password database) and /etc/passwd. */
    static PythonPaths system() {
        return forEnvironment(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** An environment on this OS, with {@code passwdHome} as the password database's home of the current user. */
    static PythonPaths forEnvironment(Map<String, String> env, Path passwdHome) {
        return new PythonPaths(env, Optional.of(passwdHome.toString()), PythonPaths::etcPasswdHome,
                File.separatorChar == '\\');
    }

    /** {@code os.path.expandvars(os.path.expanduser(path))}, the order huggingface_hub's constants.py uses. */
    String expand(String path) {
        return expandVars(expandUser(path));
    }

    /** {@code os.path.join(a, b)} for a relative {@code b}. */
    String join(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        char last = a.charAt(a.length() - 1);
        boolean endsWithSeparator = windows ? last == '\\' || last == '/' || last == ':' : last == '/';
        return endsWithSeparator ? a + b : a + (windows ? "\\" : "/") + b;
    }

    /** {@code os.path.expanduser("~")}: {@code $HOME} (posix) when set, else the password database. */
    String home() {
        return expandUser("~");
    }

    String expandUser(String path) {
        if (!path.startsWith("~")) {
            return path;
        }
        return windows ? ntExpandUser(path) : posixExpandUser(path);
    }

    String expandVars(String path) {
        return windows ? ntExpandVars(path) : posixExpandVars(path);
    }

    private String posixExpandUser(String path) {
        int i = path.indexOf('/', 1);
        if (i < 0) {
            i = path.length();
        }
        Optional<String> userHome;
        if (i == 1) {
            // Set but empty still counts as set, as in Python.
            userHome = env.containsKey("HOME") ? Optional.of(env.get("HOME")) : passwdHome;
        } else {
            userHome = passwdLookup.apply(path.substring(1, i));
        }
        if (userHome.isEmpty()) {
            return path; // an unknown user: unchanged
        }
        String home = userHome.get().replaceAll("/+$", "");
        String result = home + path.substring(i);
        return result.isEmpty() ? "/" : result;
    }

    private String ntExpandUser(String path) {
        int i = 1;
        while (i < path.length() && path.charAt(i) != '\\' && path.charAt(i) != '/') {
            i++;
        }
        String userHome;
        if (env.containsKey("USERPROFILE")) {
            userHome = env.get("USERPROFILE");
        } else if (!env.containsKey("HOMEPATH")) {
            return path;
        } else {
            userHome = join(env.getOrDefault("HOMEDRIVE", ""), env.get("HOMEPATH"));
        }
        if (i != 1) {
            String target = path.substring(1, i);
            String current = env.get("USERNAME");
            if (!target.equals(current)) {
                // Python guesses a sibling profile folder, only when the home looks like one.
                int cut = Math.max(Math.max(userHome.lastIndexOf('\\'), userHome.lastIndexOf('/')),
                        userHome.indexOf(':') == 1 ? 1 : -1) + 1;
                if (!userHome.substring(cut).equals(current)) {
                    return path;
                }
                userHome = join(userHome.substring(0, cut).replaceAll("(?<=[^\\\\/:])[\\\\/]+$", ""), target);
            }
        }
        return userHome + path.substring(i);
    }

    private String posixExpandVars(String path) {
        if (!path.contains("$")) {
            return path;
        }
        Matcher m = POSIX_VAR.matcher(path);
        int i = 0;
        while (m.find(i)) {
            String name = m.group(1);
            if (name.startsWith("{") && name.endsWith("}")) {
                name = name.substring(1, name.length() - 1);
            }
            String value = env.get(name);
            if (value == null) {
                i = m.end(); // unknown: left as written
            } else {
                // The value itself is not expanded again: the search resumes after it.
                String tail = path.substring(m.end());
                path = path.substring(0, m.start()) + value;
                i = path.length();
                path += tail;
                m = POSIX_VAR.matcher(path);
            }
        }
        return path;
    }

    /** ntpath.expandvars: {@code %var%}, {@code $var}, {@code ${var}}, {@code $$}, {@code %%}, and no expansion inside '…'. */
    private String ntExpandVars(String path) {
        if (!path.contains("$") && !path.contains("%")) {
            return path;
        }
        StringBuilder res = new StringBuilder();
        int index = 0;
        int pathlen = path.length();
        while (index < pathlen) {
            char c = path.charAt(index);
            if (c == '\'') {
                path = path.substring(index + 1);
                pathlen = path.length();
                int close = path.indexOf('\'');
                if (close >= 0) {
                    index = close;
                    res.append(c).append(path, 0, index + 1);
                } else {
                    res.append(c).append(path);
                    index = pathlen - 1;
                }
            } else if (c == '%') {
                if (index + 1 < pathlen && path.charAt(index + 1) == '%') {
                    res.append(c);
                    index++;
                } else {
                    path = path.substring(index + 1);
                    pathlen = path.length();
                    int close = path.indexOf('%');
                    if (close < 0) {
                        res.append('%').append(path);
                        index = pathlen - 1;
                    } else {
                        index = close;
                        String var = path.substring(0, index);
                        String value = env.get(var);
                        res.append(value != null ? value : "%" + var + "%");
                    }
                }
            } else if (c == '$') {
                if (index + 1 < pathlen && path.charAt(index + 1) == '$') {
                    res.append(c);
                    index++;
                } else if (index + 1 < pathlen && path.charAt(index + 1) == '{') {
                    path = path.substring(index + 2);
                    pathlen = path.length();
                    int close = path.indexOf('}');
                    if (close < 0) {
                        res.append("${").append(path);
                        index = pathlen - 1;
                    } else {
                        index = close;
                        String var = path.substring(0, index);
                        String value = env.get(var);
                        res.append(value != null ? value : "${" + var + "}");
                    }
                } else {
                    StringBuilder var = new StringBuilder();
                    index++;
                    while (index < pathlen && NT_VAR_CHARS.indexOf(path.charAt(index)) >= 0) {
                        var.append(path.charAt(index));
                        index++;
                    }
                    String value = env.get(var.toString());
                    res.append(value != null ? value : "$" + var);
                    if (index < pathlen) {
                        index--;
                    }
                }
            } else {
                res.append(c);
            }
            index++;
        }
        return res.toString();
    }

    /** {@code pwd.getpwnam(user).pw_dir} from /etc/passwd; empty where there is none (or no such user). */
    static Optional<String> etcPasswdHome(String user) {
        Path passwd = Path.of("/etc/passwd");
        try {
            if (!Files.isReadable(passwd)) {
                return Optional.empty();
            }
            for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 7 && fields[0].equals(user)) {
                    return Optional.of(fields[5]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // as if the user were unknown: Python then leaves ~user unchanged
        }
        return Optional.empty();
    }
}
