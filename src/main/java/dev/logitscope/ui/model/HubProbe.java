package dev.logitscope.ui.model;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProxySelector;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import dev.logitscope.hub.HubSettings;

/**
 * Asks once whether the Hub's host answers at all, so a first start offline can say so before
 * the user clicks Download. Any HTTP answer counts as reachable; only a failure to connect
 * (no route, no name, refused, connect timeout) counts as offline.
 */
final class HubProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private HubProbe() {}

    /** False only when the endpoint certainly cannot be reached; blocks up to a few seconds. */
    static boolean reachable(HubSettings hub) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).proxy(ProxySelector.getDefault())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest head = HttpRequest.newBuilder(hub.endpoint()).timeout(TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            http.send(head, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return !ModelBarViewModel.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    static boolean isConnectFailure(Throwable t) {
        return t instanceof ConnectException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof HttpConnectTimeoutException;
    }
}
