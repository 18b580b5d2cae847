package dev.logitscope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: the L2 norm of all gradients together, and when it
 * exceeds {@code maxNorm}, every gradient scaled by maxNorm / (norm + 1e-6). DJL's optimizers clip
 * each element instead ({@code clamp}), which changes the update's direction.
 */
public final class GlobalNormClip {
    private GlobalNormClip() {}

    /** Scales {@code gradients} in place when needed; returns their norm before clipping. */
    public static double clip(List<NDArray> gradients, double maxNorm) {
        if (gradients.isEmpty()) {
            return 0;
        }
        NDList norms = new NDList();
        for (NDArray g : gradients) {
            norms.add(g.norm()); // scalar
        }
        double total = NDArrays.stack(norms).norm().getFloat();
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1) {
            for (NDArray g : gradients) {
                g.muli((float) coefficient);
            }
        }
        return total;
    }
}
