package dev.logitscope.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's own explanation of an error answer, in one line, the way huggingface_hub's
 * {@code _format} gathers it: the {@code X-Error-Message} header, else the body's message (S3 and
 * CloudFront send XML {@code <Message>Request has expired</Message>}, the Hub JSON
 * {@code {"error": "…"}}), else a short plain-text body. HTML pages are not quoted.
 */
final class ErrorDetail {

    private static final int MAX_BODY = 4096;
    private static final int MAX_TEXT = 200;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    private static final Pattern JSON_ERROR = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ErrorDetail() {
    }

    /** Reads (a little of) the body and closes it. Never throws: an unreadable body has no detail. */
    static String read(HttpResponse<InputStream> response) {
        String header = response.headers().firstValue("X-Error-Message").orElse("").strip();
        String body = "";
        try (InputStream in = response.body();
             StallGuard guard = new StallGuard(in, READ_TIMEOUT, () -> false)) {
            byte[] buffer = new byte[MAX_BODY];
            int filled = 0;
            while (filled < MAX_BODY) {
                int n = guard.read(buffer, filled, MAX_BODY - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            body = new String(buffer, 0, filled, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // no detail, then
        }
        return header.isEmpty()
                ? fromBody(body, response.headers().firstValue("Content-Type").orElse(""))
                : header;
    }

    static String fromBody(String body, String contentType) {
        Matcher xml = XML_MESSAGE.matcher(body);
        if (xml.find()) {
            return shorten(xml.group(1));
        }
        Matcher json = JSON_ERROR.matcher(body);
        if (json.find()) {
            return shorten(json.group(1).replace("\\\"", "\""));
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("html") || body.stripLeading().startsWith("<")) {
            return "";
        }
        return shorten(body);
    }

    private static String shorten(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT) + "…";
    }
}
