package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * The logit lens (nostalgebraist, 2020): every layer's residual stream read through the model's
 * own final LayerNorm — with that layer's statistics, not the last layer's — and the unembedding,
 * then a softmax over the full vocabulary. The lens of the last layer is the model's output. A
 * {@link LensTransform} may first map each tap's residual (the identity for the logit lens).
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
    private final LensTransform transform;

    /** The plain logit lens. @param tokenText display text of a token id, for the top-k lists */
    public LogitLens(DecoderModel model, IntFunction<String> tokenText) {
        this(model, tokenText, LensTransform.IDENTITY);
    }

    /** A lens that reads each tap through {@code transform}, then the model's readout. */
    public LogitLens(DecoderModel model, IntFunction<String> tokenText, LensTransform transform) {
        this.model = model;
        this.tokenText = tokenText;
        this.transform = transform;
    }

    /** Refuses a read whose taps the transform does not all cover, before any work. */
    private void requireCovered(boolean midBlock) throws ModelException {
        List<String> uncovered = new ArrayList<>();
        for (int layer = 0; layer <= model.shape().nLayer(); layer++) {
            if (midBlock && layer >= 1 && !transform.covers(TapPoint.afterAttention(layer))) {
                uncovered.add(TapPoint.afterAttention(layer).name());
            }
            if (!transform.covers(TapPoint.afterBlock(layer))) {
                uncovered.add(TapPoint.afterBlock(layer).name());
            }
        }
        if (!uncovered.isEmpty()) {
            throw new ModelException("The " + transform.name() + " has no transform for " + String.join(", ", uncovered)
                    + " of this model; use the plain logit lens, or a lens made for this model"
                    + (midBlock ? " (or read without mid-block taps)" : "") + ".");
        }
    }

    /** Each tap's rows through the lens transform, then all of them through one readout. */
    private NDArray readout(List<TapPoint> taps, List<NDArray> rows) {
        NDList transformed = new NDList();
        for (int i = 0; i < taps.size(); i++) {
            transformed.add(transform.apply(taps.get(i), rows.get(i)));
        }
        NDArray stacked = NDArrays.concat(transformed, 0); // [taps * p, C], tap-major
        return transform.readout(model, stacked); // [taps * p, V] (V = classes for the classifier head)
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
        return read(ids, cache, request, manager, Cancellation.NEVER);
    }

    /**
     * As {@link #read(int[], KvCache, LensRequest, NDManager)}, stopping with
     * {@link RunCancelledException} between blocks or chunks of rows when {@code cancellation} is
     * requested; the cache then holds the positions it held before, or all of {@code ids}.
     */
    public List<LayerReading> read(int[] ids, KvCache cache, LensRequest request, NDManager manager,
            Cancellation cancellation) throws ModelException {
        if (ids.length == 0) {
            throw new ModelException("The prompt is empty: type a review first.");
        }
        int vocab = model.shape().vocabSize();
        for (int id : request.trackedIds()) {
            if (id < 0 || id >= vocab) {
                throw new ModelException("Tracked token id " + id + " is outside the model's vocabulary of "
                        + vocab + "; the tokenizer does not belong to this model.");
            }
        }
        requireCovered(request.midBlock());
        int from = request.firstPosition(ids.length);
        int to = request.endPosition(ids.length);
        try (NDManager kept = manager.newSubManager()) {
            if (cache != null && !request.midBlock()) {
                cache.truncate(Math.min(cache.commonPrefix(ids), ids.length - 1));
                model.forward(Arrays.copyOfRange(ids, cache.length(), ids.length), cache, ResidualListener.NONE,
                        cancellation);
                List<ResidualCollector.Kept> taps = new ArrayList<>();
                for (int layer = 0; layer <= model.shape().nLayer(); layer++) {
                    taps.add(new ResidualCollector.Kept(TapPoint.afterBlock(layer), cache.residualRows(layer, from, to, kept)));
                }
                return readCollected(taps, ids, from, request, kept, cancellation);
            }
            int reuse = 0;
            if (cache != null) {
                reuse = Math.min(cache.commonPrefix(ids), from);
                cache.truncate(reuse);
            }
            ResidualCollector collector = new ResidualCollector(kept, from, to, request.midBlock());
            model.forward(Arrays.copyOfRange(ids, reuse, ids.length), cache, collector, cancellation);
            return readCollected(collector.kept(), ids, from, request, kept, cancellation);
        }
    }

    /**
     * The lens of every layer at the last position of several prompts that all start with
     * {@code prefix}: the prefix runs once (or comes from the cache), the continuations run side
     * by side in one pass ({@link DecoderModel#forwardBranches}), and all their rows are read
     * through one unembedding product. The numbers equal {@link #read} of each whole prompt, to
     * float32 precision. The caller keeps prefix + continuations within the context.
     *
     * @param branches the tokens after the prefix, at least one per prompt
     * @return per prompt, the layers embed .. last block, each with one reading (the last position)
     */
    public List<List<LayerReading>> readBranches(int[] prefix, int[][] branches, KvCache cache, int[] tracked, int topK,
            NDManager manager) throws ModelException {
        return readBranches(prefix, branches, cache, tracked, topK, manager, Cancellation.NEVER);
    }

    /** As {@link #readBranches(int[], int[][], KvCache, int[], int, NDManager)}, stopping between blocks when {@code cancellation} is requested. */
    public List<List<LayerReading>> readBranches(int[] prefix, int[][] branches, KvCache cache, int[] tracked, int topK,
            NDManager manager, Cancellation cancellation) throws ModelException {
        if (prefix.length == 0) {
            throw new ModelException("The prompts share no prefix; read them one by one.");
        }
        requireCovered(false);
        cache.truncate(Math.min(cache.commonPrefix(prefix), prefix.length));
        if (cache.length() < prefix.length) {
            model.forward(Arrays.copyOfRange(prefix, cache.length(), prefix.length), cache, ResidualListener.NONE,
                    cancellation);
        }
        int count = branches.length;
        int[] lastRows = new int[count];  // index of each continuation's last token in the side-by-side pass
        int[] positions = new int[count]; // and its position in its own prompt
        int at = 0;
        for (int b = 0; b < count; b++) {
            at += branches[b].length;
            lastRows[b] = at - 1;
            positions[b] = prefix.length + branches[b].length - 1;
        }
        try (NDManager kept = manager.newSubManager()) {
            NDArray rowIndex = kept.create(lastRows).toType(DataType.INT64, false);
            List<ResidualCollector.Kept> taps = new ArrayList<>();
            model.forwardBranches(branches, cache, (tap, first, residual) -> {
                NDArray rows = residual.get(new NDIndex("{}", rowIndex)); // [count, C], a copy
                taps.add(new ResidualCollector.Kept(tap, ResidualListener.keep(rows, kept)));
            }, cancellation);
            NDArray logits = readout(taps.stream().map(ResidualCollector.Kept::tap).toList(),
                    taps.stream().map(ResidualCollector.Kept::rows).toList()); // [taps * count, V], tap-major
            int vocab = (int) logits.getShape().get(1);
            float[] values = logits.toFloatArray();
            FiniteCheck.requireFinite(values, vocab, taps, positions);
            List<PositionReading> readings = LensStatistics.readings(values, vocab, taps.size(),
                    taps.size() - 1, tracked, topK, positions, null, Integer.MAX_VALUE, tokenText);
            List<List<LayerReading>> out = new ArrayList<>();
            for (int b = 0; b < count; b++) {
                List<LayerReading> layers = new ArrayList<>();
                for (int t = 0; t < taps.size(); t++) {
                    TapPoint tap = taps.get(t).tap();
                    layers.add(new LayerReading(tap.layer(), tap.midBlock(), tap.name(),
                            List.of(readings.get(t * count + b))));
                }
                out.add(layers);
            }
            return out;
        }
    }

    private List<LayerReading> readCollected(List<ResidualCollector.Kept> taps, int[] ids, int firstPosition,
            LensRequest request, NDManager manager, Cancellation cancellation) throws NonFiniteValuesException {
        int rows = (int) taps.get(0).rows().getShape().get(0);
        int tapCount = taps.size();
        List<List<PositionReading>> perTap = new ArrayList<>();
        for (int i = 0; i < tapCount; i++) {
            perTap.add(new ArrayList<>());
        }
        int[] tracked = request.trackedIds();
        int finalTap = tapCount - 1; // the last block's output: the model's own distribution
        // All taps of a chunk of positions are read through ONE readout, so the unembedding
        // (the largest matrix) is streamed once per chunk instead of once per layer.
        int positionsPerChunk = Math.max(1, ROWS_PER_CHUNK / tapCount);
        for (int start = 0; start < rows; start += positionsPerChunk) {
            cancellation.check(); // a long grid is many chunks: a superseded one stops between them
            int end = Math.min(rows, start + positionsPerChunk);
            try (NDScope chunkScope = new NDScope()) {
                List<NDArray> slices = new ArrayList<>();
                for (ResidualCollector.Kept tap : taps) {
                    slices.add(tap.rows().get("{}:{}", start, end)); // [p, C]
                }
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
                List<PositionReading> readings = readRows(slices, taps, finalTap, tracked, request.topK(),
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
     * Lens readings of each tap's residual rows [p, C] at positions
     * {@code position0 .. position0+p-1}; {@code next} holds, per row, the following prompt token
     * when next-token log-probabilities are wanted.
     */
    private List<PositionReading> readRows(List<NDArray> slices, List<ResidualCollector.Kept> taps, int finalTap,
            int[] tracked, int topK, int position0, int[] next, int promptLength) throws NonFiniteValuesException {
        NDArray logits = readout(taps.stream().map(ResidualCollector.Kept::tap).toList(), slices); // [taps * p, V]
        int vocab = (int) logits.getShape().get(1);
        float[] values = logits.toFloatArray();
        int p = values.length / vocab / taps.size();
        FiniteCheck.requireFinite(values, vocab, taps, IntStream.range(position0, position0 + p).toArray());
        return LensStatistics.readings(values, vocab, taps.size(), finalTap, tracked, topK, position0, next,
                promptLength, tokenText);
    }
}
