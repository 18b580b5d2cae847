package dev.logitscope.lens;

import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.ModelShape;

/**
 * A loaded model as the user sees it.
 *
 * @param source      what the user asked for (a folder or a hub id)
 * @param shape       layers, width, heads, context, vocabulary, parameters
 * @param weightBytes bytes of float32 weights held (memory-mapped for F32 checkpoints)
 * @param loadMillis  time to load weights and tokenizer
 * @param readout     what the lens applies to each layer ({@link DecoderModel#readoutDescription()})
 */
public record ModelInfo(String source, ModelShape shape, long weightBytes, long loadMillis, String readout) {

    /** A model read through its final norm and unembedding, as most families are. */
    public ModelInfo(String source, ModelShape shape, long weightBytes, long loadMillis) {
        this(source, shape, weightBytes, loadMillis, DecoderModel.STANDARD_READOUT);
    }

    /** Whether the lens is something other than the usual final norm and unembedding (worth telling the user). */
    public boolean unusualReadout() {
        return !DecoderModel.STANDARD_READOUT.equals(readout);
    }
}
