package dev.logitscope.hub;

import java.time.Duration;
import java.util.Locale;

/**
 * Where the download of one file stands.
 *
 * @param file           the file name within the repository, e.g. {@code model.safetensors}
 * @param bytesDone      bytes in the cache so far (a resumed download starts above zero)
 * @param totalBytes     the file size, or -1 when the server did not say
 * @param bytesPerSecond the transfer rate of this session, 0 when not yet known
 * @param eta            the time left, or null when unknown
 */
public record DownloadProgress(String file, long bytesDone, long totalBytes, double bytesPerSecond, Duration eta) {

    public DownloadProgress {
        if (file == null) {
            throw new IllegalArgumentException("file must not be null");
        }
        if (bytesDone < 0) {
            throw new IllegalArgumentException("bytesDone must be >= 0: " + bytesDone);
        }
    }

    /** True once every byte is there (false while the size is unknown). */
    public boolean complete() {
        return totalBytes >= 0 && bytesDone >= totalBytes;
    }

    /** Fraction done in [0, 1], or -1 when the size is unknown. */
    public double fraction() {
        if (totalBytes <= 0) {
            return totalBytes == 0 ? 1.0 : -1.0;
        }
        return Math.min(1.0, (double) bytesDone / totalBytes);
    }

    /** One line for a status bar or a terminal, e.g. {@code model.safetensors 12.3 MB / 548.1 MB  4.2 MB/s  2:11 left}. */
    public String describe() {
        StringBuilder s = new StringBuilder(file).append(' ').append(formatBytes(bytesDone));
        if (totalBytes >= 0) {
            s.append(" / ").append(formatBytes(totalBytes));
        }
        if (complete()) {
            return s.append("  done").toString();
        }
        if (bytesPerSecond > 0) {
            s.append("  ").append(formatBytes(Math.round(bytesPerSecond))).append("/s");
        }
        if (eta != null) {
            s.append("  ").append(formatDuration(eta)).append(" left");
        }
        return s.toString();
    }

    /** Decimal units, as the Hub shows file sizes (gpt2's weights: 548.1 MB). */
    static String formatBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String formatDuration(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long sec = seconds % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
