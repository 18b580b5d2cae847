package dev.logitscope.ui;

import javafx.application.Application;

/**
 * Entry point of the desktop app. A separate class because {@code java -jar} with a main class
 * that extends {@code Application} fails with "JavaFX runtime components are missing".
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        Application.launch(LogitscopeApp.class, args);
    }
}
