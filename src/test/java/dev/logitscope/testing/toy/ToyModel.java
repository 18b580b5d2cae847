package dev.logitscope.testing.toy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.google.gson.JsonObject;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelShape;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TapPoint;
import dev.logitscope.model.WeightStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The toy family's model ({@link ToyCheckpoint} writes it): token + position embeddings, blocks
 * that are a position-wise residual MLP {@code x = x + tanh(x·Wᵀ)} (no attention, so nothing in
 * the KV state), and a readout through an RMSNorm and the tied embedding. Trivially different
 * from GPT-2 on purpose: its own config keys, its own block, its own final norm.
 */
final class ToyModel implements DecoderModel {
    static final double RMS_EPSILON = 1e-6;

    private final int layers;
    private final int width;
    private final int context;
    private final int vocab;
    private final NDManager manager;
    private final NDArray embed;          // [V, C]
    private final NDArray positions;      // [P, C]
    private final List<NDArray> blocks;   // [C, C] each, torch Linear layout [out, in]
    private final NDArray norm;           // [C]
    private final CheckpointWatch checkpoint;
    private final long bytes;

    private ToyModel(JsonObject config, CheckpointFiles files, NDManager manager, CheckpointWatch checkpoint)
            throws ModelException, IOException {
        layers = config.get("toy_layers").getAsInt();
        width = config.get("toy_width").getAsInt();
        context = config.get("toy_context").getAsInt();
        vocab = config.get("vocab_size").getAsInt();
        this.manager = manager;
        this.checkpoint = checkpoint;
        embed = read(files, "embed.weight", vocab, width);
        positions = read(files, "pos.weight", context, width);
        blocks = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            blocks.add(read(files, "blocks." + i + ".weight", width, width));
        }
        norm = read(files, "norm.weight", width);
        bytes = 4L * ((long) vocab * width + (long) context * width + (long) layers * width * width + width);
    }

    private NDArray read(CheckpointFiles files, String name, long... shape) throws ModelException, IOException {
        return manager.create(files.fileOf(name).readFloats(name), new Shape(shape));
    }

    static ToyModel load(ModelFolder folder, NDManager parent) throws ModelException {
        ModelFolder.WeightFiles weightFiles = folder.weightFiles();
        CheckpointWatch watch = CheckpointWatch.start(weightFiles.files());
        JsonObject config = folder.configJson();
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles files = CheckpointFiles.open(weightFiles)) {
            return new ToyModel(config, files, manager, watch);
        } catch (IOException e) {
            manager.close();
            throw new ModelException(e.getMessage(), e);
        }
    }

    @Override
    public ModelShape shape() {
        return new ModelShape(ToyFamily.MODEL_TYPE, layers, width, 1, context, vocab, bytes / 4);
    }

    @Override
    public void forward(int[] newIds, KvCache cache, ResidualListener listener) throws ModelException {
        int past = cache == null ? 0 : cache.length();
        if (past + newIds.length > context) {
            throw new ModelException("The prompt is " + (past + newIds.length) + " tokens long but the toy reads at most "
                    + context + ".");
        }
        int[] at = new int[newIds.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = past + i;
        }
        run(newIds, at, cache, past, listener);
        if (cache != null) {
            cache.appendTokens(newIds);
        }
    }

    @Override
    public void forwardBranches(int[][] branches, KvCache cache, ResidualListener listener) throws ModelException {
        int past = cache.length();
        List<Integer> ids = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int[] branch : branches) {
            for (int i = 0; i < branch.length; i++) {
                ids.add(branch[i]);
                at.add(past + i);
            }
        }
        // Position-wise blocks: continuations cannot see each other, so they need no mask.
        run(ids.stream().mapToInt(Integer::intValue).toArray(), at.stream().mapToInt(Integer::intValue).toArray(),
                null, past, listener);
    }

    /** Runs rows at {@code at}; with a cache, writes their residuals at {@code past ..}. */
    private void run(int[] ids, int[] at, KvCache cache, int past, ResidualListener listener) {
        if (cache != null) {
            cache.ensureCapacity(past + ids.length);
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray idArray = scratch.create(ids).toType(DataType.INT64, false);
            NDArray atArray = scratch.create(at).toType(DataType.INT64, false);
            NDArray x = embed.get(scratch, new NDIndex("{}", idArray)).add(positions.get(scratch, new NDIndex("{}", atArray)));
            tap(cache, listener, 0, past, x);
            for (int i = 0; i < layers; i++) {
                x = x.add(Linear.linear(x, blocks.get(i)).singletonOrThrow().tanh());
                tap(cache, listener, i + 1, past, x);
            }
        }
    }

    private static void tap(KvCache cache, ResidualListener listener, int layer, int past, NDArray x) {
        if (cache != null) {
            cache.residuals().write(layer, past, x);
        }
        listener.onResidual(TapPoint.afterBlock(layer), past, x);
    }

    /** RMSNorm with the rows' own statistics, then the tied embedding. */
    @Override
    public NDArray readout(NDArray residual) {
        NDArray rms = residual.square().mean(new int[] {1}, true).add(RMS_EPSILON).sqrt(); // [N, 1]
        NDArray normed = residual.div(rms).mul(norm);                                  // [N, C]
        return Linear.linear(normed, embed).singletonOrThrow();                         // [N, V]
    }

    @Override
    public double blockFlops(int tokens, int context) {
        return 2.0 * tokens * layers * width * (double) width;
    }

    @Override
    public List<int[]> projectionShapes() {
        return List.of(new int[] {width, width});
    }

    @Override
    public KvCache newCache() {
        return new KvCache(manager.newSubManager(), layers, 1, 1, width, context);
    }

    @Override
    public long weightBytes() {
        return bytes;
    }

    @Override
    public WeightStorage weightStorage() {
        return WeightStorage.IN_MEMORY;
    }

    @Override
    public CheckpointWatch checkpoint() {
        return checkpoint;
    }

    @Override
    public void close() {
        manager.close();
    }
}
