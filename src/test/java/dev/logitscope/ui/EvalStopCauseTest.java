package dev.logitscope.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.eval.EvalException;
import dev.logitscope.hub.DownloadCancelledException;
import dev.logitscope.hub.HubException;
import dev.logitscope.ui.eval.StopCause;
import org.junit.jupiter.api.Test;

/** Stop during a model download is a stop, not an "Evaluation stopped: … cancelled" error. */
class EvalStopCauseTest {
    @Test
    void aCancelledDownloadIsAStop() {
        assertThat(StopCause.isStop(new DownloadCancelledException("model.safetensors"), true)).isTrue();
        assertThat(StopCause.isStop(new RuntimeException("wrapped", new DownloadCancelledException("x")), true)).isTrue();
    }

    @Test
    void realFailuresStayFailures() {
        assertThat(StopCause.isStop(new HubException("offline"), true)).isFalse();
        assertThat(StopCause.isStop(new EvalException("bad line"), false)).isFalse();
        assertThat(StopCause.isStop(new InterruptedException(), false)).isFalse();
    }
}
