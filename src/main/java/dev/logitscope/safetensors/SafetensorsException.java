package dev.logitscope.safetensors;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file that cannot be read or written. The message names the file and, where one is
 * involved, the tensor, and is meant to be shown to a user as is.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(Path file, String message) {
        super(file + ": " + message);
    }

    public SafetensorsException(Path file, String tensor, String message) {
        super(file + ": tensor '" + tensor + "': " + message);
    }

    public SafetensorsException(Path file, String tensor, String message, Throwable cause) {
        super(file + ": tensor '" + tensor + "': " + message, cause);
    }

    public SafetensorsException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
