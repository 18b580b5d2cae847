package dev.logitscope.model.gptneo;

import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.WeightStorage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The residual stream of a GPT-Neo forward pass at every tap, as plain float rows. */
record Taps(Map<TapPoint, float[][]> rows) {

    /** Runs {@code ids} through the model in {@code folder} in one pass without cache. */
    static Taps of(Path folder, int[] ids) throws Exception {
        return of(folder, ids, WeightStorage.IN_MEMORY);
    }

    /** As {@link #of(Path, int[])} with the weights held as {@code storage} says. */
    static Taps of(Path folder, int[] ids, WeightStorage storage) throws Exception {
        try (ModelThread thread = new ModelThread()) {
            return thread.call(root -> {
                try (GptNeoModel model = GptNeoModel.load(new ModelFolder(folder), root, storage)) {
                    return run(model, ids, null);
                }
            });
        }
    }

    /** Runs {@code ids} after what {@code cache} holds (null: no cache); rows are the new positions. */
    static Taps run(GptNeoModel model, int[] ids, KvCache cache) throws ModelException {
        Map<TapPoint, float[][]> rows = new LinkedHashMap<>();
        model.forward(ids, cache, new ResidualListener() {
            @Override
            public void onResidual(TapPoint tap, int firstPosition, ai.djl.ndarray.NDArray residual) {
                rows.put(tap, toRows(residual));
            }

            @Override
            public boolean wantsMidBlock() {
                return true;
            }
        });
        return new Taps(rows);
    }

    static float[][] toRows(ai.djl.ndarray.NDArray residual) {
        int t = (int) residual.getShape().get(0);
        int c = (int) residual.getShape().get(1);
        float[] flat = residual.toFloatArray();
        float[][] out = new float[t][c];
        for (int i = 0; i < t; i++) {
            System.arraycopy(flat, i * c, out[i], 0, c);
        }
        return out;
    }

    float[][] at(TapPoint tap) {
        return rows.get(tap);
    }
}
