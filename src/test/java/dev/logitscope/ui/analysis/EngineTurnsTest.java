package dev.logitscope.ui.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.model.ModelException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** An evaluation that borrows the loaded engine has it alone; analyses are refused meanwhile and run after. */
class EngineTurnsTest {

    @Test
    void anAnalysisIsRefusedWithAMessageWhileARunHasTheEngine() throws Exception {
        EngineTurns turns = new EngineTurns();
        Analyzer guarded = turns.guard(job -> null);
        CountDownLatch taken = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread run = new Thread(() -> {
            turns.evaluating();
            taken.countDown();
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                turns.evaluated();
            }
        });
        run.start();
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> guarded.analyze(null)).isInstanceOf(ModelException.class)
                .hasMessageContaining("busy evaluating").hasMessageContaining("Stop");
        done.countDown();
        run.join(10_000);
        assertThat(guarded.analyze(null)).isNull(); // the run ended: analyses run again
    }

    @Test
    void aRunWaitsForTheAnalysisInProgress() throws Exception {
        EngineTurns turns = new EngineTurns();
        CountDownLatch analysing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean analysisOver = new AtomicBoolean();
        Analyzer guarded = turns.guard(job -> {
            analysing.countDown();
            try {
                finish.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            analysisOver.set(true);
            return null;
        });
        Thread analysis = new Thread(() -> {
            try {
                guarded.analyze(null);
            } catch (ModelException e) {
                throw new IllegalStateException(e);
            }
        });
        analysis.start();
        assertThat(analysing.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean sawAnalysisOver = new AtomicBoolean();
        Thread run = new Thread(() -> {
            turns.evaluating();
            sawAnalysisOver.set(analysisOver.get());
            turns.evaluated();
        });
        run.start();
        run.join(200);
        assertThat(run.isAlive()).as("the run waits").isTrue();
        finish.countDown();
        run.join(10_000);
        analysis.join(10_000);
        assertThat(sawAnalysisOver).isTrue();
    }
}
