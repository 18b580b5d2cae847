package dev.logitscope.ui.eval;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import javafx.application.HostServices;

/** Shows a folder in the system's file manager, when the platform can. */
public interface FolderOpener {

    /** Nothing to open folders with (headless, tests): the button is disabled. */
    FolderOpener NONE = new FolderOpener() {
        @Override
        public boolean available() {
            return false;
        }

        @Override
        public void open(Path folder) {
            throw new UnsupportedOperationException("no way to open folders here");
        }
    };

    boolean available();

    void open(Path folder);

    /** JavaFX's own way (xdg-open, Finder, Explorer), preferred: AWT and JavaFX share GTK poorly. */
    static FolderOpener hostServices(HostServices services) {
        return new FolderOpener() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public void open(Path folder) {
                services.showDocument(folder.toUri().toString());
            }
        };
    }

    /** {@link Desktop} where AWT has a display and supports opening files; otherwise {@link #NONE}. */
    static FolderOpener desktop() {
        if (GraphicsEnvironment.isHeadless() || !Desktop.isDesktopSupported()
                || !Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            return NONE;
        }
        return new FolderOpener() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public void open(Path folder) {
                // Desktop.open may wait for the file manager: never on the FX thread.
                Thread t = new Thread(() -> {
                    try {
                        Desktop.getDesktop().open(folder.toFile());
                    } catch (Exception e) {
                        org.slf4j.LoggerFactory.getLogger(FolderOpener.class).warn("cannot open {}: {}", folder,
                                e.getMessage());
                    }
                }, "open-folder");
                t.setDaemon(true);
                t.start();
            }
        };
    }
}
