package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.model.ModelException;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing an engine (a model switch) waits for the analysis that holds it, then refuses new work. */
class LensEngineLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void closeWaitsForALeaseAndLaterCallsAreClearErrors() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nPositions(64).write(dir.resolve("m"));
        LensEngine engine = LensEngine.open(ckpt.folder(), "tiny");
        CompletableFuture<Void> closing;
        try (LensEngine.Lease lease = engine.lease()) {
            closing = CompletableFuture.runAsync(engine::close);
            Thread.sleep(200);
            assertThat(closing).as("close must wait while an analysis holds the engine").isNotDone();
            assertThat(engine.tokenize("still usable")).isNotEmpty();
        }
        closing.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(engine::lease).isInstanceOf(ModelException.class).hasMessageContaining("was closed");
        assertThatThrownBy(() -> engine.tokenize("x")).isInstanceOf(ModelException.class);
        engine.close(); // closing twice is harmless
    }
}
