package dev.logitscope.ui;

import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.ui.analysis.Analyzer;
import dev.logitscope.ui.analysis.LensAnalyzer;
import dev.logitscope.ui.eval.EvalViewModel;
import dev.logitscope.ui.eval.FolderOpener;
import dev.logitscope.ui.session.JsonSessionStore;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * What the window depends on, injected so tests and screenshots never touch the user's home or
 * the network.
 *
 * @param sessions     where the session is kept
 * @param hub          the Hugging Face settings (cache folder, offline)
 * @param initialModel a model to load at start instead of the session's (a folder, a name or a repo id)
 * @param analyzer     turns a request into numbers
 * @param evalOutput   where the Evaluate tab puts fresh output folders
 * @param folders      shows a folder in the file manager (or cannot)
 */
public record AppContext(SessionStore sessions, HubSettings hub, Optional<String> initialModel, Analyzer analyzer,
        Path evalOutput, FolderOpener folders) {

    public AppContext {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(hub, "hub");
        initialModel = initialModel == null ? Optional.empty() : initialModel.filter(s -> !s.isBlank());
        Objects.requireNonNull(analyzer, "analyzer");
        evalOutput = evalOutput == null ? EvalViewModel.defaultOutputRoot() : evalOutput;
        folders = folders == null ? FolderOpener.NONE : folders;
    }

    public AppContext(SessionStore sessions, HubSettings hub, Optional<String> initialModel, Analyzer analyzer) {
        this(sessions, hub, initialModel, analyzer, null, null);
    }

    public AppContext(SessionStore sessions, HubSettings hub, Optional<String> initialModel) {
        this(sessions, hub, initialModel, new LensAnalyzer());
    }

    public AppContext withEvalOutput(Path folder) {
        return new AppContext(sessions, hub, initialModel, analyzer, folder, folders);
    }

    public AppContext withFolders(FolderOpener opener) {
        return new AppContext(sessions, hub, initialModel, analyzer, evalOutput, opener);
    }

    /** The real thing: the session in the user's config folder, hub settings from the environment. */
    public static AppContext fromSystem(Optional<String> initialModel) {
        HubSettings hub;
        try {
            hub = HubSettings.fromSystem();
        } catch (HubException e) {
            // The app still starts (local folders work); the log says why the hub is not used as set.
            LoggerFactory.getLogger(AppContext.class).warn("{} Using {} instead.", e.getMessage(), HubSettings.DEFAULT_ENDPOINT);
            hub = HubSettings.fromSystemWithDefaultEndpoint();
        }
        return new AppContext(JsonSessionStore.inUserConfig(), hub, initialModel);
    }

}
