package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Map;

/**
 * Supplies a family's weights by canonical name, each exactly of the shape the config implies: a
 * checkpoint's ({@link WeightLoader}) or a fine-tuning run's trainable copies ({@link #of}), so one
 * constructor builds a family's layers over either.
 */
public interface WeightSource {

    /** Whether the weight {@code name} (canonical) exists. */
    boolean has(String name);

    /** The weight {@code name} (canonical), which must have exactly {@code shape}. */
    NDArray load(String name, long... shape) throws ModelException;

    /** Arrays already in memory by canonical name (the leaves a fine-tuning run trains), used as they are. */
    static WeightSource of(Map<String, NDArray> arrays) {
        return new WeightSource() {
            @Override
            public boolean has(String name) {
                return arrays.containsKey(name);
            }

            @Override
            public NDArray load(String name, long... shape) throws ModelException {
                NDArray array = arrays.get(name);
                if (array == null) {
                    throw new ModelException("The model being fine-tuned has no weight '" + name + "'.");
                }
                if (!Arrays.equals(array.getShape().getShape(), shape)) {
                    throw new ModelException("The weight '" + name + "' has shape " + array.getShape() + " but "
                            + Arrays.toString(shape) + " was expected.");
                }
                return array;
            }
        };
    }
}
