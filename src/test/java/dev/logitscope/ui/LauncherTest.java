package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The app says in one line that it needs a display, where there is none, and only there. */
class LauncherTest {

    @Test
    void linuxWithoutDisplayOrWaylandHasNoDisplay() {
        assertThat(Launcher.missingDisplay(Map.of(), "Linux", null)).hasValueSatisfying(message -> assertThat(message)
                .contains("DISPLAY").contains("WAYLAND_DISPLAY").doesNotContain("\n"));
        assertThat(Launcher.missingDisplay(Map.of("DISPLAY", " "), "Linux", null)).isPresent();
    }

    @Test
    void displayWaylandOtherSystemsAndHeadlessMonocleAreFine() {
        assertThat(Launcher.missingDisplay(Map.of("DISPLAY", ":0"), "Linux", null)).isEmpty();
        assertThat(Launcher.missingDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux", null)).isEmpty();
        assertThat(Launcher.missingDisplay(Map.of(), "Mac OS X", null)).isEmpty();
        assertThat(Launcher.missingDisplay(Map.of(), "Windows 11", null)).isEmpty();
        assertThat(Launcher.missingDisplay(Map.of(), "Linux", "Monocle")).isEmpty();
    }
}
