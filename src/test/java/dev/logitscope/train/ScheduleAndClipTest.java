package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.model.ModelThread;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schedule is transformers' get_linear_schedule_with_warmup; clipping is torch's clip_grad_norm_, by global norm. */
class ScheduleAndClipTest {

    @Test
    void linearWarmUpThenDecayAsTransformersComputesIt() {
        LinearSchedule s = LinearSchedule.of(100, 0.1); // 10 warm-up steps
        assertThat(s.warmupSteps()).isEqualTo(10);
        assertThat(s.factor(0)).isEqualTo(0.0);           // the first update has lr 0
        assertThat(s.factor(5)).isEqualTo(0.5);
        assertThat(s.factor(10)).isEqualTo(1.0);
        assertThat(s.factor(55)).isCloseTo(0.5, within(1e-12)); // (100 − 55) / 90
        assertThat(s.factor(100)).isEqualTo(0.0);
        assertThat(LinearSchedule.of(7, 0.1).factor(0)).as("no warm-up when ⌊0.1·7⌋ = 0").isEqualTo(1.0);
    }

    @Test
    void clippingScalesEveryGradientByOneFactorWhenTheGlobalNormExceedsTheLimit() throws Exception {
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                NDArray a = root.create(new float[] {3, 0, 0, 0}, new Shape(2, 2));
                NDArray b = root.create(new float[] {0, 4});
                double norm = GlobalNormClip.clip(List.of(a, b), 1.0);
                assertThat(norm).isCloseTo(5.0, within(1e-6));
                double coefficient = 1.0 / (5.0 + 1e-6);
                assertThat(a.toFloatArray()).containsExactly(new float[] {(float) (3 * coefficient), 0, 0, 0}, within(1e-6f));
                assertThat(b.toFloatArray()).containsExactly(new float[] {0, (float) (4 * coefficient)}, within(1e-6f));
                // An element-wise clamp at 1 would give (1, 1): a different direction.
                NDArray c = root.create(new float[] {0.3f, 0.4f});
                assertThat(GlobalNormClip.clip(List.of(c), 1.0)).isCloseTo(0.5, within(1e-6));
                assertThat(c.toFloatArray()).as("below the limit: untouched").containsExactly(0.3f, 0.4f);
                return null;
            });
        }
    }
}
