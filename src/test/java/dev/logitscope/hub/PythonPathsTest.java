package dev.logitscope.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Expected values are what CPython 3.11's posixpath / ntpath return for the same input and
 * environment (printed by a script, copied here): this is the behaviour huggingface_hub gets.
 */
class PythonPathsTest {

    static final Map<String, String> ENV = Map.of("A", "/a", "B", "b", "EMPTY", "", "X_1", "x1", "DASH-NAME", "dash",
            "USERPROFILE", "C:\\Users\\alice", "USERNAME", "alice");

    final PythonPaths posix = new PythonPaths(ENV, Optional.of("/home/pw"), u -> Optional.empty(), false);
    final PythonPaths nt = new PythonPaths(ENV, Optional.of("C:\\pw"), u -> Optional.empty(), true);

    @Test
    void posixExpandvarsLikePython() {
        String[][] cases = {
                {"$A/x", "/a/x"}, {"${A}/x", "/a/x"}, {"$A$B", "/ab"}, {"$UNKNOWN/x", "$UNKNOWN/x"},
                {"${UNKNOWN}", "${UNKNOWN}"}, {"$", "$"}, {"a$", "a$"}, {"${}", "${}"}, {"${A", "${A"},
                {"$$A", "$/a"}, {"$EMPTY/z", "/z"}, {"$X_1-y", "x1-y"}, {"$DASH-NAME", "$DASH-NAME"},
                {"pre${B}post$A", "prebpost/a"}, {"~/$A", "~//a"}, {"no vars", "no vars"}, {"$A.$B", "/a.b"},
        };
        for (String[] c : cases) {
            assertThat(posix.expandVars(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void ntExpandvarsLikePython() {
        String[][] cases = {
                {"%A%\\x", "/a\\x"}, {"$A\\x", "/a\\x"}, {"${A}", "/a"}, {"%UNKNOWN%", "%UNKNOWN%"}, {"'%A%'", "'%A%'"},
                {"'$A", "'$A"}, {"100%%", "100%"}, {"%A", "%A"}, {"$$A", "$A"}, {"$DASH-NAME", "dash"},
                {"$UNKNOWN\\y", "$UNKNOWN\\y"}, {"${UNKNOWN}z", "${UNKNOWN}z"}, {"${A", "${A"}, {"$", "$"},
                {"x'%A%'%B%", "x'%A%'b"},
                // Windows variable names ignore case (os.environ upper-cases them there).
                {"%a%", "/a"},
        };
        for (String[] c : cases) {
            assertThat(nt.expandVars(c[0])).as(c[0]).isEqualTo(c[1]);
        }
    }

    @Test
    void posixExpanduserPrefersHomeOverThePasswordDatabase() {
        assertThat(posix.expandUser("~/x")).as("no HOME: the password database").isEqualTo("/home/pw/x");

        PythonPaths withHome = new PythonPaths(Map.of("HOME", "/env/home/"), Optional.of("/home/pw"),
                u -> u.equals("bob") ? Optional.of("/users/bob") : Optional.empty(), false);
        assertThat(withHome.expandUser("~")).isEqualTo("/env/home");
        assertThat(withHome.expandUser("~/x")).isEqualTo("/env/home/x");
        assertThat(withHome.expandUser("~bob/x")).isEqualTo("/users/bob/x");
        assertThat(withHome.expandUser("~nobody/x")).isEqualTo("~nobody/x");
        assertThat(withHome.expandUser("x/~")).isEqualTo("x/~");
        assertThat(withHome.expandUser("~\\x")).as("a backslash is no separator on posix").isEqualTo("~\\x");

        PythonPaths rootHome = new PythonPaths(Map.of("HOME", "/"), Optional.empty(), u -> Optional.empty(), false);
        assertThat(rootHome.expandUser("~")).isEqualTo("/");
        assertThat(rootHome.expandUser("~/x")).isEqualTo("/x");
    }

    @Test
    void ntExpanduserLikePython() {
        assertThat(nt.expandUser("~")).isEqualTo("C:\\Users\\alice");
        assertThat(nt.expandUser("~\\x")).isEqualTo("C:\\Users\\alice\\x");
        assertThat(nt.expandUser("~/x")).isEqualTo("C:\\Users\\alice/x");
        assertThat(nt.expandUser("~bob\\x")).isEqualTo("C:\\Users\\bob\\x");
        assertThat(nt.expandUser("~alice\\y")).isEqualTo("C:\\Users\\alice\\y");
        assertThat(nt.expandUser("x~")).isEqualTo("x~");
    }
}
