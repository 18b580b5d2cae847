package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TapPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The logit lens (nostalgebraist, 2020): every layer's residual stream read through the model's
 * own final LayerNorm — with that layer's statistics, not the last layer's — and the unembedding,
 * then a softmax over the full vocabulary. The lens of the last layer is the model's output.
 *
 * <p>Runs on the model thread. Results leave as plain Java values.
 */
public final class LogitLens {
    /**
     * Rows (taps × positions) read at once: bounds the [rows, V] temporaries (128 × 50257 floats
     * ≈ 26 MB each) while keeping the unembedding matmul large enough to run near peak.
     */
    private static final int ROWS_PER_CHUNK = 128;

    private final DecoderModel model;
    private final IntFunction<String> tokenText;

    /** @param tokenText display text of a token id, for the top-k lists */
    public LogitLens(DecoderModel model, IntFunction<String> tokenText) {
        this.model = model;
        this.tokenText = tokenText;
    }

    /**
     * Runs {@code ids} through the model and reads every layer at the requested positions.
     *
     * <p>With a cache, only the positions after its longest common prefix with {@code ids} run
     * through the blocks (at least the last one), and the lens reads the residual stream that
     * the cache keeps for every layer; the cache then holds {@code ids}. Mid-block taps are not
     * cached, so asking for them recomputes from the first requested position.
     *
     * @param cache may be null (everything is recomputed)
     */
    public List<LayerReading> read(int[] ids, KvCache cache, LensRequest request, NDManager manager) throws ModelException {
        if (ids.length == 0) {
            throw new ModelException("The prompt is empty: type a review first.");
        }
        int from = request.firstPosition(ids.length);
        int to = request.endPosition(ids.length);
        try (NDManager kept = manager.newSubManager()) {
            if (cache != null && !request.midBlock()) {
                cache.truncate(Math.min(cache.commonPrefix(ids), ids.length - 1));
                model.forward(Arrays.copyOfRange(ids, cache.length(), ids.length), cache, ResidualListener.NONE);
                List<ResidualCollector.Kept> taps = new ArrayList<>();
                for (int layer = 0; layer <= model.shape().nLayer(); layer++) {
                    taps.add(new ResidualCollector.Kept(TapPoint.afterBlock(layer), cache.residualRows(layer, from, to, kept)));
                }
                return readCollected(taps, ids, from, request, kept);
            }
            int reuse = 0;
            if (cache != null) {
                reuse = Math.min(cache.commonPrefix(ids), from);
                cache.truncate(reuse);
            }
            ResidualCollector collector = new ResidualCollector(kept, from, to, request.midBlock());
            model.forward(Arrays.copyOfRange(ids, reuse, ids.length), cache, collector);
            return readCollected(collector.kept(), ids, from, request, kept);
        }
    }

    private List<LayerReading> readCollected(List<ResidualCollector.Kept> taps, int[] ids, int firstPosition,
            LensRequest request, NDManager manager) {
        int rows = (int) taps.get(0).rows().getShape().get(0);
        int tapCount = taps.size();
        List<List<PositionReading>> perTap = new ArrayList<>();
        for (int i = 0; i < tapCount; i++) {
            perTap.add(new ArrayList<>());
        }
        NDArray tracked = manager.create(request.trackedIds()).toType(DataType.INT64, false); // [K]
        int finalTap = tapCount - 1; // the last block's output: the model's own distribution
        // All taps of a chunk of positions are read through ONE readout, so the unembedding
        // (the largest matrix) is streamed once per chunk instead of once per layer.
        int positionsPerChunk = Math.max(1, ROWS_PER_CHUNK / tapCount);
        for (int start = 0; start < rows; start += positionsPerChunk) {
            int end = Math.min(rows, start + positionsPerChunk);
            try (NDScope chunkScope = new NDScope()) {
                NDList slices = new NDList();
                for (ResidualCollector.Kept tap : taps) {
                    slices.add(tap.rows().get("{}:{}", start, end)); // [p, C]
                }
                NDArray stacked = NDArrays.concat(slices, 0); // [taps * p, C], tap-major
                int[] next = null;
                if (request.nextTokenLogProbs()) {
                    next = new int[tapCount * (end - start)];
                    for (int t = 0; t < tapCount; t++) {
                        for (int r = start; r < end; r++) {
                            int position = firstPosition + r;
                            next[t * (end - start) + r - start] = position + 1 < ids.length ? ids[position + 1] : 0;
                        }
                    }
                }
                List<PositionReading> readings = readRows(stacked, tapCount, finalTap, tracked, request.topK(),
                        firstPosition + start, next, ids.length);
                int p = end - start;
                for (int t = 0; t < tapCount; t++) {
                    perTap.get(t).addAll(readings.subList(t * p, (t + 1) * p));
                }
            }
        }
        List<LayerReading> layers = new ArrayList<>();
        for (int i = 0; i < tapCount; i++) {
            TapPoint tap = taps.get(i).tap();
            layers.add(new LayerReading(tap.layer(), tap.midBlock(), tap.name(), perTap.get(i)));
        }
        return layers;
    }

    /**
     * Lens readings of stacked residual rows [taps * p, C] (tap-major) at positions
     * {@code position0 .. position0+p-1}; {@code next} holds, per row, the following prompt token
     * when next-token log-probabilities are wanted.
     */
    private List<PositionReading> readRows(NDArray stacked, int tapCount, int finalTap, NDArray tracked, int topK,
            int position0, int[] next, int promptLength) {
        int n = (int) stacked.getShape().get(0);
        int p = n / tapCount;
        NDArray logProbs = model.readout(stacked).logSoftmax(-1); // [n, V]
        NDArray probs = logProbs.exp();                            // [n, V]
        long vocab = logProbs.getShape().get(1);
        NDArray perTap = logProbs.reshape(tapCount, p, vocab);                   // [taps, p, V]
        NDArray finalLogProbs = perTap.get("{}:{}", finalTap, finalTap + 1);     // [1, p, V]
        NDArray finalProbs = finalLogProbs.exp();                                // [1, p, V]
        float[] entropy = probs.mul(logProbs).sum(new int[] {1}).neg().toFloatArray();                      // [n]
        float[] kl = finalProbs.mul(finalLogProbs.sub(perTap)).sum(new int[] {2}).toFloatArray();           // [taps * p]
        int k = (int) tracked.getShape().get(0);
        float[] trackedProbs = k == 0 ? new float[0] : probs.get(new NDIndex(":, {}", tracked)).toFloatArray(); // [n, K]
        int[] ranks = new int[n * k];
        for (int j = 0; j < k; j++) {
            // Compared in log space: probabilities that underflow to 0 in float32 would all tie.
            NDArray column = logProbs.get(new NDIndex(":, {}:{}", tracked.getLong(j), tracked.getLong(j) + 1)); // [n, 1]
            long[] above = logProbs.gt(column).sum(new int[] {1}).toType(DataType.INT64, false).toLongArray(); // [n]
            for (int r = 0; r < n; r++) {
                ranks[r * k + j] = (int) above[r];
            }
        }
        float[] topProbs = new float[0];
        long[] topIds = new long[0];
        if (topK > 0) {
            NDList top = probs.topK(Math.min(topK, (int) vocab), -1, true, true); // [n, k] each
            topProbs = top.get(0).toFloatArray();
            topIds = top.get(1).toType(DataType.INT64, false).toLongArray();
        }
        int kTop = n == 0 ? 0 : topIds.length / n;
        float[] nextLogProbs = null;
        if (next != null) {
            NDArray nextIds = stacked.getManager().create(next).toType(DataType.INT64, false).reshape(n, 1); // [n, 1]
            nextLogProbs = logProbs.gather(nextIds, 1).toFloatArray(); // [n]
        }
        List<PositionReading> out = new ArrayList<>(n);
        for (int row = 0; row < n; row++) {
            int position = position0 + row % p;
            double[] rowTracked = new double[k];
            int[] rowRanks = new int[k];
            for (int j = 0; j < k; j++) {
                rowTracked[j] = trackedProbs[row * k + j];
                rowRanks[j] = ranks[row * k + j];
            }
            List<TopToken> topTokens = new ArrayList<>(kTop);
            for (int j = 0; j < kTop; j++) {
                int id = (int) topIds[row * kTop + j];
                topTokens.add(new TopToken(id, tokenText.apply(id), topProbs[row * kTop + j]));
            }
            boolean hasNext = nextLogProbs != null && position + 1 < promptLength;
            out.add(new PositionReading(position, rowTracked, rowRanks, entropy[row], Math.max(0.0, kl[row]), topTokens,
                    hasNext ? nextLogProbs[row] : Double.NaN));
        }
        return out;
    }
}
