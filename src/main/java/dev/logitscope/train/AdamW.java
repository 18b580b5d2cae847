package dev.logitscope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW through DJL's fused native update ({@code NDArrayEx.adamUpdate} with {@code adamw}, the
 * kernel {@code ai.djl.training.optimizer.AdamW} calls), with the moments kept here so that a
 * checkpoint can save them and {@code --resume} restore them; only parameters that are updated get
 * state. Per update t: w ← w − lr·wd·w; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * w ← w − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m/(√v + ε). The last line is Adam's "ε̂" form (Kingma and Ba,
 * end of section 2); torch.optim.AdamW adds ε to √v̂ instead, a difference of order ε = 1e-8.
 * The kernel zeroes the parameter's gradient after the update.
 */
public final class AdamW implements AutoCloseable {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPSILON = 1e-8f;

    private final NDManager manager;
    private final Map<String, NDArray[]> moments = new LinkedHashMap<>(); // name → {m, v}
    private long updates;

    public AdamW(NDManager parent) {
        manager = parent.newSubManager();
    }

    /** Updates completed so far (t of the last update). */
    public long updates() {
        return updates;
    }

    /** Counts one optimizer step; call once before the parameters' {@link #update}s of that step. */
    public void beginStep() {
        updates++;
    }

    /** One parameter's update with the current step's learning rate. */
    public void update(String name, NDArray weight, NDArray gradient, float learningRate, float weightDecay) {
        NDArray[] mv = moments.computeIfAbsent(name, k -> {
            NDArray m = manager.zeros(weight.getShape(), weight.getDataType());
            NDArray v = manager.zeros(weight.getShape(), weight.getDataType());
            NDScope.unregister(m, v); // state outlives the step's scope
            return new NDArray[] {m, v};
        });
        double correction1 = 1.0 - Math.pow(BETA1, updates);
        double correction2 = 1.0 - Math.pow(BETA2, updates);
        float biasCorrected = (float) (learningRate * Math.sqrt(correction2) / correction1);
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, gradient, mv[0], mv[1]), new NDList(weight),
                learningRate, biasCorrected, weightDecay, 1f, -1f, BETA1, BETA2, EPSILON, true, true);
    }

    /** The moments by name: {@code name + ".exp_avg"} and {@code name + ".exp_avg_sq"}, as torch's state names them. */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        moments.forEach((name, mv) -> {
            out.put(name + ".exp_avg", mv[0].toFloatArray());
            out.put(name + ".exp_avg_sq", mv[1].toFloatArray());
        });
        return out;
    }

    /** As {@link #state()}, each moment copied out of libtorch only when asked for (a checkpoint writes one at a time). */
    public Map<String, java.util.function.Supplier<float[]>> lazyState() {
        Map<String, java.util.function.Supplier<float[]>> out = new LinkedHashMap<>();
        moments.forEach((name, mv) -> {
            out.put(name + ".exp_avg", mv[0]::toFloatArray);
            out.put(name + ".exp_avg_sq", mv[1]::toFloatArray);
        });
        return out;
    }

    /** Restores {@link #state()} and the update count of a checkpoint. */
    public void restore(Map<String, float[]> state, Map<String, Shape> shapes, long updates) {
        moments.values().forEach(mv -> {
            mv[0].close();
            mv[1].close();
        });
        moments.clear();
        shapes.forEach((name, shape) -> {
            float[] m = state.get(name + ".exp_avg");
            float[] v = state.get(name + ".exp_avg_sq");
            if (m != null && v != null) {
                moments.put(name, new NDArray[] {manager.create(m, shape), manager.create(v, shape)});
            }
        });
        this.updates = updates;
    }

    /** Parameters that hold state (those updated at least once). */
    public int statefulParameters() {
        return moments.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
