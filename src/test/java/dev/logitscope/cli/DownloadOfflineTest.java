package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.hub.HubSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code download} without a network says that downloading needs one and which cache it looked
 * in; it does not tell the user to run download again.
 */
class DownloadOfflineTest {
    @TempDir
    Path cache;

    private CliRunner download(HubSettings settings, String model) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DownloadCommand(settings));
        cli.setExecutionExceptionHandler(LogitscopeCommand.commandLine().getExecutionExceptionHandler());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(model);
        return new CliRunner(code, out.toString(), err.toString());
    }

    @Test
    void theCommandAsRunUnderTheTestsOfflineEnvironment() {
        // surefire sets HF_HUB_OFFLINE=1; the repository is in no cache
        CliRunner result = CliRunner.run("download", "logitscope-tests/never-cached");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: downloading logitscope-tests/never-cached needs the network")
                .contains("cache").doesNotContain("again");
    }

    @Test
    void offlineModeSaysDownloadingNeedsTheNetwork() {
        HubSettings offline = new HubSettings(HubSettings.DEFAULT_ENDPOINT, cache, Optional.empty(), true);
        CliRunner result = download(offline, "gpt2");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: downloading openai-community/gpt2 needs the network")
                .contains("HF_HUB_OFFLINE").contains(cache.toString()).doesNotContain("again").doesNotContain("\tat ");
        assertThat(result.err().strip()).doesNotContain("\n");
    }

    @Test
    void anUnreachableHubSaysDownloadingNeedsTheNetwork() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // free, and nobody listens once closed
        }
        HubSettings online = new HubSettings(URI.create("http://127.0.0.1:" + closedPort), cache, Optional.empty(), false);
        CliRunner result = download(online, "distilgpt2");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: downloading distilbert/distilgpt2 needs the network")
                .contains("http://127.0.0.1:" + closedPort).contains(cache.toString()).doesNotContain("again");
        assertThat(result.err().strip()).doesNotContain("\n");
    }

    @Test
    void otherFailuresKeepTheHubsMessage() {
        HubSettings offline = new HubSettings(HubSettings.DEFAULT_ENDPOINT, cache, Optional.empty(), true);
        CliRunner result = download(offline, "./no/such/folder");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: no such folder").doesNotContain("needs the network");
    }
}
