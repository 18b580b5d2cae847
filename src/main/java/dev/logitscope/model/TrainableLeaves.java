package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The weights of a model being fine-tuned, by canonical name in transformers' state-dict order, and
 * what every family does with them alike: mark the trained ones, draw new ones as transformers'
 * {@code _init_weights} does, and save them under transformers' names. Model thread only.
 */
public final class TrainableLeaves {
    private TrainableLeaves() {}

    /**
     * The parameters of {@code leaves} in their order, named {@code storedName(canonical)}; the
     * ones {@code trainable} accepts require a gradient from here on. AdamW's weight decay applies
     * to matrices, not to biases and LayerNorm gains (as transformers' Trainer groups them).
     */
    public static List<TrainableParameter> parameters(Map<String, NDArray> leaves, Predicate<String> trainable,
            UnaryOperator<String> storedName) {
        List<TrainableParameter> list = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            boolean trains = trainable.test(e.getKey());
            if (trains) {
                e.getValue().setRequiresGradient(true);
            }
            boolean decays = e.getValue().getShape().dimension() >= 2;
            list.add(new TrainableParameter(storedName.apply(e.getKey()), e.getValue(), trains, decays));
        }
        return List.copyOf(list);
    }

    /** Float32 bytes of all {@code leaves}. */
    public static long bytes(Map<String, NDArray> leaves) {
        return leaves.values().stream().mapToLong(a -> a.getShape().size() * Float.BYTES).sum();
    }

    /** A new weight of {@code shape} drawn from N(0, std²), as {@code module.weight.data.normal_(0, std)}. */
    public static NDArray normal(NDManager manager, long[] shape, double std, Random random) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, new Shape(shape));
    }

    /**
     * Writes {@code leaves} as {@code model.safetensors} (F32, metadata format=pt) under {@code storedName(canonical)},
     * copying one weight at a time out of libtorch as the file is written: a copy of every weight at once
     * (500 MB for gpt2) grew the JVM heap, and so the resident memory, at every epoch's checkpoint.
     */
    public static void write(Path file, Map<String, NDArray> leaves, UnaryOperator<String> storedName) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            NDArray leaf = e.getValue();
            writer.add(storedName.apply(e.getKey()), DType.F32, leaf.getShape().getShape(), leaf::toFloatArray);
        }
        writer.write(file);
    }

    /** Refuses more trainable blocks than the model has; {@code what} names them ("blocks", "decoder layers"). */
    public static void checkBlocks(int trainableBlocks, int blocks, String what) throws ModelException {
        if (trainableBlocks > blocks) {
            throw new TooManyBlocksException(trainableBlocks, blocks, what);
        }
    }
}
