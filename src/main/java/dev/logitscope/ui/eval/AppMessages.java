package dev.logitscope.ui.eval;

import dev.logitscope.eval.EvalException;

/**
 * An error as the Evaluate tab says it: an evaluation's error in the tab's words
 * ({@link EvalFieldWords}); a model that could not be found says what to do in the app instead of
 * the command to type.
 */
public final class AppMessages {
    private AppMessages() {}

    public static String forApp(Throwable error) {
        if (error instanceof EvalException e) {
            return e.message(EvalFieldWords.INSTANCE);
        }
        return forApp(error.getMessage() == null ? error.toString() : error.getMessage());
    }

    /** The hub's advice to run a command (it is shared with the CLI) as what to do in the app. */
    public static String forApp(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        int download = message.indexOf("run `./logitscope download ");
        if (download >= 0) {
            int name = download + "run `./logitscope download ".length();
            int end = message.indexOf('`', name);
            if (end > name) {
                message = message.substring(0, download) + "pick " + message.substring(name, end)
                        + " in the model bar to download it" + message.substring(end + 1);
            }
        }
        return message.replace("pass --model /path/to/folder", "open the folder with Open folder…");
    }
}
