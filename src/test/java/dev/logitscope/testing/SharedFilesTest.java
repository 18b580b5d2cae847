package dev.logitscope.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class SharedFilesTest {

    @Test
    void missingSharedFolderSkipsWithAMessage(@TempDir Path dir) {
        String saved = System.getProperty(SharedFiles.PROPERTY);
        try {
            System.setProperty(SharedFiles.PROPERTY, dir.resolve("absent").toString());
            assertThat(SharedFiles.root()).isEmpty();
            assertThatThrownBy(SharedFiles::gpt2TokenizerOrSkip)
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("GPT-2 tokenizer").hasMessageContaining(SharedFiles.PROPERTY);
            System.setProperty(SharedFiles.PROPERTY, dir.toString()); // exists, but holds nothing
            assertThat(SharedFiles.root()).contains(dir.toAbsolutePath().normalize());
            assertThatThrownBy(SharedFiles::sst2OrSkip)
                    .isInstanceOf(TestAbortedException.class).hasMessageContaining("SST-2");
        } finally {
            if (saved == null) {
                System.clearProperty(SharedFiles.PROPERTY);
            } else {
                System.setProperty(SharedFiles.PROPERTY, saved);
            }
        }
    }
}
