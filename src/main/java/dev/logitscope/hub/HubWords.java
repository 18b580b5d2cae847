package dev.logitscope.hub;

import java.util.List;

/**
 * What to do about a hub problem, in the words of the surface that shows it: the command line
 * names commands and options, the app names its own controls. A {@link HubException} keeps its
 * advice as calls to these, so neither surface rewrites the other's text.
 */
public interface HubWords {

    /** Fetch {@code repoId} once the machine is online (offline mode is on). */
    String downloadWhileOnline(String repoId);

    /** Try fetching {@code repoId} again (the Hub could not be reached). */
    String downloadAgain(String repoId);

    /** Use a local folder holding {@code files} instead of a hub name. */
    String localFolder(List<String> files);

    /** Download the model by other means and use its folder. */
    String downloadElsewhere();

    /** "a, b and c": the files a folder must hold, as a sentence lists them. */
    public static String listed(List<String> files) {
        return HubErrors.joinAnd(files);
    }

    /** The command line's words. */
    HubWords COMMAND_LINE = new HubWords() {
        @Override
        public String downloadWhileOnline(String repoId) {
            return "unset HF_HUB_OFFLINE and run `./logitscope download " + repoId + "` while online";
        }

        @Override
        public String downloadAgain(String repoId) {
            return "check the network (and HF_ENDPOINT) and run `./logitscope download " + repoId + "` again";
        }

        @Override
        public String localFolder(List<String> files) {
            return "give the path of a local folder holding " + listed(files) + " in place of the model name";
        }

        @Override
        public String downloadElsewhere() {
            return "download the model elsewhere and pass --model /path/to/folder";
        }
    };
}
