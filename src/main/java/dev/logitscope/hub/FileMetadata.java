package dev.logitscope.hub;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * What a HEAD on {@code /resolve/} tells about one file.
 *
 * @param file        the file name within the repository
 * @param commit      the commit the revision resolved to ({@code X-Repo-Commit})
 * @param etag        the content hash that names the blob
 * @param size        the file size, -1 when unknown
 * @param downloadUri where to GET the bytes (the CDN for LFS files)
 */
record FileMetadata(String file, String commit, String etag, long size, URI downloadUri) {

    /**
     * The etag as huggingface_hub normalises it: the {@code X-Linked-Etag} of an LFS redirect
     * wins over {@code ETag}; quotes and a weak {@code W/} prefix are stripped.
     */
    static Optional<String> normalizeEtag(Optional<String> linked, Optional<String> plain) {
        return linked.or(() -> plain)
                .map(String::trim)
                .map(e -> e.startsWith("W/") ? e.substring(2) : e)
                .map(e -> e.replace("\"", ""))
                .map(e -> e.toLowerCase(Locale.ROOT))
                .filter(e -> !e.isEmpty());
    }
}
