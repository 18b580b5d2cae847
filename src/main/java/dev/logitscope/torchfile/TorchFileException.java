package dev.logitscope.torchfile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A PyTorch checkpoint that cannot be read, or is refused. The message names the file and, where
 * one is involved, the tensor, and is meant to be shown to a user as is.
 */
public class TorchFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public TorchFileException(Path file, String message) {
        super(file + ": " + message);
    }

    public TorchFileException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }

    public TorchFileException(Path file, String tensor, String message) {
        super(file + ": tensor '" + tensor + "': " + message);
    }

    public TorchFileException(Path file, String tensor, String message, Throwable cause) {
        super(file + ": tensor '" + tensor + "': " + message, cause);
    }
}
