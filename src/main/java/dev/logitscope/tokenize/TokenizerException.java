package dev.logitscope.tokenize;

/** A tokenizer that cannot be loaded, or a prompt that cannot be analysed as given. */
public class TokenizerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
