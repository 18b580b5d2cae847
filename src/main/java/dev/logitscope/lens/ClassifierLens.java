package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelException;
import java.util.ArrayList;
import java.util.List;

/**
 * The classifier-head lens: for a model with a sequence-classification head (transformers'
 * {@code GPT2ForSequenceClassification}, {@code GPTNeoForSequenceClassification},
 * {@code OPTForSequenceClassification}; ours or the hub's), every layer's residual at the last
 * position read through the model's final norm (OPT: final_layer_norm if any, then project_out if
 * present) and {@code score} instead of the unembedding ({@link DecoderModel#classifierReadout}),
 * giving per-layer class probabilities. The last layer's reading is the classifier's own output.
 * Runs on the model thread.
 */
public final class ClassifierLens {
    private final DecoderModel model;

    public ClassifierLens(DecoderModel model) {
        this.model = model;
    }

    /** Runs {@code ids} (no cache) and reads layers 0..L at the last position. */
    public List<ClassReading> read(int[] ids, NDManager manager) throws ModelException {
        ClassLabels labels = model.classLabels().orElseThrow(() -> new ModelException(
                "This model has no classification head (score.weight); read it with the logit lens."));
        if (ids.length == 0) {
            throw new ModelException("The prompt is empty: type a review first.");
        }
        try (NDManager kept = manager.newSubManager()) {
            ResidualCollector collector = new ResidualCollector(kept, ids.length - 1, ids.length, false);
            model.forward(ids, null, collector);
            NDList rows = new NDList();
            collector.kept().forEach(k -> rows.add(k.rows()));
            NDArray logits = model.classifierReadout(NDArrays.concat(rows, 0)); // [L+1, K]
            int k = labels.size();
            float[] values = logits.toFloatArray();
            List<ClassReading> out = new ArrayList<>();
            for (int t = 0; t < collector.kept().size(); t++) {
                double[] p = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, values[t * k + j]);
                }
                if (!Double.isFinite(max)) {
                    throw new NonFiniteValuesException("The classifier head gave non-finite logits at "
                            + collector.kept().get(t).tap().name() + "; the weights are broken.");
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    p[j] = Math.exp(values[t * k + j] - max);
                    sum += p[j];
                }
                for (int j = 0; j < k; j++) {
                    p[j] /= sum;
                }
                var tap = collector.kept().get(t).tap();
                out.add(new ClassReading(tap.layer(), tap.name(), labels.names(), p));
            }
            return out;
        }
    }
}
