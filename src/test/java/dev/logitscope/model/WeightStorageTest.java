package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the Hugging Face cache's files, which its tools never rewrite in place, are mapped. */
class WeightStorageTest {
    @TempDir
    Path dir;

    @Test
    void aHubSnapshotLinkingIntoBlobsIsMapped() throws Exception {
        Path repo = dir.resolve("hub/models--openai-community--gpt2");
        Path blob = Files.writeString(Files.createDirectories(repo.resolve("blobs")).resolve("248dfc39"), "x");
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/607a30d783dfa663caf39e06633721c8d4cfcd7e"));
        Path file = Files.createSymbolicLink(snapshot.resolve("model.safetensors"),
                snapshot.relativize(blob)); // ../../blobs/248dfc39, as huggingface_hub makes it
        assertThat(WeightStorage.forCheckpoint(file)).isEqualTo(WeightStorage.MAPPED);
    }

    @Test
    void aHubSnapshotHoldingACopyIsMapped() throws Exception {
        Path snapshot = Files.createDirectories(dir.resolve("models--gpt2/snapshots/abc"));
        Files.createDirectories(dir.resolve("models--gpt2/blobs"));
        Path file = Files.writeString(snapshot.resolve("model.safetensors"), "x"); // where links are refused
        assertThat(WeightStorage.forCheckpoint(file)).isEqualTo(WeightStorage.MAPPED);
    }

    @Test
    void anyOtherFolderIsReadIntoMemory() throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs/checkpoint-500"));
        Path file = Files.writeString(run.resolve("model.safetensors"), "x");
        assertThat(WeightStorage.forCheckpoint(file)).isEqualTo(WeightStorage.IN_MEMORY);
        // A snapshot-shaped path whose link leads out of the cache is someone else's file.
        Path snapshot = Files.createDirectories(dir.resolve("models--me--mine/snapshots/main"));
        Path link = Files.createSymbolicLink(snapshot.resolve("model.safetensors"), file);
        assertThat(WeightStorage.forCheckpoint(link)).isEqualTo(WeightStorage.IN_MEMORY);
        // And a missing file is not a snapshot either (the load reports it).
        assertThat(WeightStorage.forCheckpoint(snapshot.resolve("absent.safetensors"))).isEqualTo(WeightStorage.IN_MEMORY);
    }

    @Test
    void aSystemPropertyOverridesTheChoice() throws Exception {
        Path file = Files.writeString(dir.resolve("model.safetensors"), "x");
        try {
            System.setProperty(WeightStorage.PROPERTY, "mapped");
            assertThat(WeightStorage.forCheckpoint(file)).isEqualTo(WeightStorage.MAPPED);
            System.setProperty(WeightStorage.PROPERTY, "memory");
            assertThat(WeightStorage.forCheckpoint(file)).isEqualTo(WeightStorage.IN_MEMORY);
            System.setProperty(WeightStorage.PROPERTY, "mmap");
            assertThatThrownBy(() -> WeightStorage.forCheckpoint(file)).isInstanceOf(ModelException.class)
                    .hasMessageContaining("-Dlogitscope.weights=mmap is not one of auto, mapped, memory");
        } finally {
            System.clearProperty(WeightStorage.PROPERTY);
        }
    }
}
