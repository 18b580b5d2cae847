package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
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
    /** Positions read at once: bounds the [rows, V] temporaries (64 × 50257 floats ≈ 13 MB). */
    private static final int ROWS_PER_CHUNK = 64;

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
        List<List<PositionReading>> perTap = new ArrayList<>();
        for (int i = 0; i < taps.size(); i++) {
            perTap.add(new ArrayList<>());
        }
        NDArray tracked = manager.create(request.trackedIds()).toType(DataType.INT64, false); // [K]
        NDArray finalRows = taps.get(taps.size() - 1).rows(); // [P, C], the last block's output
        // next[r] = the prompt token after position firstPosition + r (the last position has none)
        int[] next = new int[rows];
        for (int r = 0; r < rows; r++) {
            int position = firstPosition + r;
            next[r] = position + 1 < ids.length ? ids[position + 1] : 0;
        }
        for (int start = 0; start < rows; start += ROWS_PER_CHUNK) {
            int end = Math.min(rows, start + ROWS_PER_CHUNK);
            try (NDScope chunkScope = new NDScope()) {
                NDArray finalLogProbs = model.readout(finalRows.get("{}:{}", start, end)).logSoftmax(-1); // [p, V]
                NDArray finalProbs = finalLogProbs.exp();                                                // [p, V]
                for (int i = 0; i < taps.size(); i++) {
                    try (NDScope tapScope = new NDScope()) {
                        NDArray residual = taps.get(i).rows().get("{}:{}", start, end); // [p, C]
                        int[] chunkNext = request.nextTokenLogProbs() ? Arrays.copyOfRange(next, start, end) : null;
                        perTap.get(i).addAll(readRows(residual, finalLogProbs, finalProbs, tracked, request.topK(),
                                firstPosition + start, chunkNext, ids.length));
                    }
                }
            }
        }
        List<LayerReading> layers = new ArrayList<>();
        for (int i = 0; i < taps.size(); i++) {
            TapPoint tap = taps.get(i).tap();
            layers.add(new LayerReading(tap.layer(), tap.midBlock(), tap.name(), perTap.get(i)));
        }
        return layers;
    }

    /**
     * Lens readings of residual rows [p, C] at positions {@code position0 ..}; {@code next} holds
     * the following prompt token of each row when next-token log-probabilities are wanted.
     */
    private List<PositionReading> readRows(NDArray residual, NDArray finalLogProbs, NDArray finalProbs, NDArray tracked,
            int topK, int position0, int[] next, int promptLength) {
        NDArray logProbs = model.readout(residual).logSoftmax(-1); // [p, V]
        NDArray probs = logProbs.exp();                             // [p, V]
        float[] entropy = probs.mul(logProbs).sum(new int[] {1}).neg().toFloatArray();                         // [p]
        float[] kl = finalProbs.mul(finalLogProbs.sub(logProbs)).sum(new int[] {1}).toFloatArray();            // [p]
        int p = (int) residual.getShape().get(0);
        int k = (int) tracked.getShape().get(0);
        float[] trackedProbs = k == 0 ? new float[0] : probs.get(new NDIndex(":, {}", tracked)).toFloatArray(); // [p, K]
        int[] ranks = new int[p * k];
        for (int j = 0; j < k; j++) {
            NDArray column = probs.get(new NDIndex(":, {}:{}", tracked.getLong(j), tracked.getLong(j) + 1)); // [p, 1]
            long[] above = probs.gt(column).sum(new int[] {1}).toType(DataType.INT64, false).toLongArray(); // [p]
            for (int r = 0; r < p; r++) {
                ranks[r * k + j] = (int) above[r];
            }
        }
        float[] topProbs = new float[0];
        long[] topIds = new long[0];
        if (topK > 0) {
            NDList top = probs.topK(Math.min(topK, (int) probs.getShape().get(1)), -1, true, true); // [p, k] each
            topProbs = top.get(0).toFloatArray();
            topIds = top.get(1).toType(DataType.INT64, false).toLongArray();
        }
        int kTop = p == 0 ? 0 : topIds.length / p;
        float[] nextLogProbs = null;
        if (next != null) {
            NDArray nextIds = residual.getManager().create(next).toType(DataType.INT64, false).reshape(p, 1); // [p, 1]
            nextLogProbs = logProbs.gather(nextIds, 1).toFloatArray(); // [p]
        }
        List<PositionReading> out = new ArrayList<>(p);
        for (int r = 0; r < p; r++) {
            double[] rowTracked = new double[k];
            int[] rowRanks = new int[k];
            for (int j = 0; j < k; j++) {
                rowTracked[j] = trackedProbs[r * k + j];
                rowRanks[j] = ranks[r * k + j];
            }
            List<TopToken> topTokens = new ArrayList<>(kTop);
            for (int j = 0; j < kTop; j++) {
                int id = (int) topIds[r * kTop + j];
                topTokens.add(new TopToken(id, tokenText.apply(id), topProbs[r * kTop + j]));
            }
            boolean hasNext = nextLogProbs != null && position0 + r + 1 < promptLength;
            out.add(new PositionReading(position0 + r, rowTracked, rowRanks, entropy[r], Math.max(0.0, kl[r]), topTokens,
                    hasNext ? nextLogProbs[r] : Double.NaN));
        }
        return out;
    }
}
