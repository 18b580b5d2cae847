package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.model.Cancellation;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.ui.analysis.AnalysisJob;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.Analyzer;
import dev.logitscope.ui.analysis.LensAnalyzer;
import dev.logitscope.ui.session.Session;
import dev.logitscope.ui.session.SessionStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typing on while a slow analysis runs cancels it between blocks: the stale analysis does not run
 * to its end, and the user sees the new review's numbers and no error.
 */
class SupersededAnalysisTest {
    static final String STALE = "A warm, funny and beautifully acted film.";
    static final String TYPED_ON = STALE + " Too long, though.";
    /** The stale run is superseded at this check: inside its first pass (before it, then before each block). */
    static final int SUPERSEDED_AT_CHECK = 3;

    @TempDir
    Path dir;
    final AppHarness app = new AppHarness();

    @AfterEach
    void close() throws Exception {
        app.closeIfOpen();
    }

    @Test
    void aSupersededAnalysisStopsBetweenBlocksAndShowsNoError() throws Exception {
        TinyCheckpoint tiny = TinyCheckpoint.builder().nLayer(4).nEmbd(16).nHead(2).nPositions(1024).seed(7)
                .write(dir.resolve("tiny"));
        CountDownLatch insidePass = new CountDownLatch(1);
        AtomicInteger staleChecks = new AtomicInteger();
        AtomicReference<Throwable> staleOutcome = new AtomicReference<>();
        LensAnalyzer real = new LensAnalyzer();
        // The real analysis, where the stale prompt's model is "slow": at its third check (inside
        // the forward pass) it waits until the app has asked for a newer analysis.
        Analyzer slowStale = new Analyzer() {
            @Override
            public AnalysisResult analyze(AnalysisJob job) throws ModelException {
                return analyze(job, early -> { });
            }

            @Override
            public AnalysisResult analyze(AnalysisJob job, Consumer<AnalysisResult> early) throws ModelException {
                if (!job.review().equals(STALE)) {
                    return real.analyze(job, early);
                }
                Cancellation scheduler = Cancellation.current();
                Cancellation slow = () -> {
                    if (staleChecks.incrementAndGet() == SUPERSEDED_AT_CHECK) {
                        insidePass.countDown();
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (!scheduler.requested() && System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                    }
                    return scheduler.requested();
                };
                try {
                    return Cancellation.callWith(slow, () -> real.analyze(job, early));
                } catch (RuntimeException | ModelException e) {
                    staleOutcome.set(e);
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        app.open(new AppContext(SessionStore.inMemory(Session.defaults()), AppHarness.offlineHub(dir.resolve("hub")),
                Optional.of(tiny.folder().toString()), slowStale));
        app.waitForModel();
        app.fx(() -> app.vm().reviewProperty().set(STALE));
        assertThat(insidePass.await(30, TimeUnit.SECONDS)).as("the stale analysis reached its forward pass").isTrue();
        app.fx(() -> app.vm().reviewProperty().set(TYPED_ON));

        AnalysisResult shown = app.waitForResult(r -> r.review().equals(TYPED_ON));
        assertThat(shown.verdicts()).hasSize(tiny.nLayer() + 1);
        assertThat(staleOutcome.get()).as("the stale analysis was cancelled").isInstanceOf(RunCancelledException.class);
        assertThat(staleChecks.get()).as("it stopped at the check that saw the newer request, before the next block")
                .isEqualTo(SUPERSEDED_AT_CHECK);
        assertThat(app.fx(() -> app.vm().statusProperty().get())).doesNotContain("cancel", "failed");
        assertThat(app.fx(() -> app.vm().bannerProperty().get())).isNull();
    }
}
