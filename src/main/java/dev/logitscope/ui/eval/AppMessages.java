package dev.logitscope.ui.eval;

import dev.logitscope.eval.EvalException;
import dev.logitscope.hub.HubException;
import dev.logitscope.ui.model.AppHubWords;

/**
 * An error as the Evaluate tab says it: an evaluation's error in the tab's words
 * ({@link EvalFieldWords}), a hub problem's advice in the app's ({@link AppHubWords}).
 */
public final class AppMessages {
    private AppMessages() {}

    public static String forApp(Throwable error) {
        if (error instanceof EvalException e) {
            return e.message(EvalFieldWords.INSTANCE);
        }
        if (error instanceof HubException e) {
            return e.message(AppHubWords.INSTANCE);
        }
        return error.getMessage() == null ? error.toString() : error.getMessage();
    }
}
