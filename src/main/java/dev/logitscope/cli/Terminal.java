package dev.logitscope.cli;

/**
 * Whether stderr is a terminal, where a redrawn progress bar makes sense. The launcher knows
 * ({@code [ -t 2 ]}) and passes {@code -Dlogitscope.stderr.tty}; run otherwise (java -jar), a
 * console means stdin and stdout are terminals, and stderr is taken to be one too.
 */
final class Terminal {
    static final String PROPERTY = "logitscope.stderr.tty";

    private Terminal() {}

    static boolean stderrIsTerminal() {
        String told = System.getProperty(PROPERTY);
        if (told != null && !told.isBlank()) {
            return Boolean.parseBoolean(told.strip());
        }
        return System.console() != null;
    }
}
