package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * tuned-lens's {@code unembed_hash}: {@code sha256(np.array_str(W, precision=1))} of the model's
 * unembedding {@code W} ({@code get_output_embeddings().weight}, [vocab, width], as float32), which
 * a lens's config.json records for the model it was trained on ({@code Unembed.unembedding_hash},
 * {@code utils.tensor_hash}). numpy prints only the corners of a large matrix, so only they are read.
 */
final class UnembedHash {
    private UnembedHash() {}

    /**
     * The hash of {@code w} [rows, cols]; model thread. The rows read are put in a scope of
     * {@code manager} (the model's own weights' manager takes no new arrays).
     */
    static String of(NDArray w, NDManager manager) {
        long[] shape = w.getShape().getShape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("the unembedding is not a matrix: " + w.getShape());
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        boolean summary = (long) rows * cols > NumpyArrayText.THRESHOLD;
        int[] shownRows = NumpyArrayText.shown(rows, summary);
        int[] shownCols = NumpyArrayText.shown(cols, summary);
        float[][] block = new float[shownRows.length][shownCols.length];
        try (NDManager scope = manager.newSubManager()) {
            long[] ids = java.util.Arrays.stream(shownRows).asLongStream().toArray();
            NDArray picked = w.get(scope, new NDIndex("{}", scope.create(ids))); // [shown rows, cols]
            float[] values = (picked.getDataType() == DataType.FLOAT32 ? picked : picked.toType(DataType.FLOAT32, false))
                    .toFloatArray();
            for (int i = 0; i < shownRows.length; i++) {
                for (int j = 0; j < shownCols.length; j++) {
                    block[i][j] = values[i * cols + shownCols[j]];
                }
            }
        }
        return of(rows, cols, block);
    }

    /** The hash of a {@code rows × cols} matrix from the block numpy shows ({@link NumpyArrayText#shown}). */
    static String of(int rows, int cols, float[][] block) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(NumpyArrayText.arrayStr(rows, cols, block).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
