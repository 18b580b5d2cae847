package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * tuned-lens's unembed_hash is sha256(np.array_str(W, precision=1)). The expected texts and hashes
 * below were printed by numpy 1.24.2 ({@code np.array_str(a, precision=1)} and
 * {@code hashlib.sha256(s.encode()).hexdigest()}) for the same matrices, built from exactly
 * representable values: ties at one decimal (0.25, 0.75 …) round half to even, a value that rounds to
 * zero keeps its sign, a large matrix shows only its corners, and a wide range switches to
 * scientific notation with wrapped lines.
 */
class UnembedHashTest {

    /** ((31 i + 17 j) mod 200 − 100) / 128. */
    private static float[][] a(int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = (float) (((i * 31L + j * 17L) % 200 - 100) / 128.0);
            }
        }
        return m;
    }

    /** ((7 i + 3 j) mod 19 − 9) · 2^((i + j) mod 20 − 10). */
    private static float[][] e(int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = (float) (((i * 7 + j * 3) % 19 - 9) * Math.pow(2, (i + j) % 20 - 10));
            }
        }
        return m;
    }

    private static float[][] corners(float[][] m) {
        int rows = m.length;
        int cols = m[0].length;
        boolean summary = (long) rows * cols > NumpyArrayText.THRESHOLD;
        int[] r = NumpyArrayText.shown(rows, summary);
        int[] c = NumpyArrayText.shown(cols, summary);
        float[][] block = new float[r.length][c.length];
        for (int i = 0; i < r.length; i++) {
            for (int j = 0; j < c.length; j++) {
                block[i][j] = m[r[i]][c[j]];
            }
        }
        return block;
    }

    private static String text(float[][] m) {
        return NumpyArrayText.arrayStr(m.length, m[0].length, corners(m));
    }

    private static String hash(float[][] m) {
        return UnembedHash.of(m.length, m[0].length, corners(m));
    }

    @Test
    void smallMatricesPrintAsNumpyPrintsThem() {
        float[][] small = {{0.25f, 0f}, {-0.04f, 1f}};
        assertThat(text(small)).isEqualTo("[[ 0.2  0. ]\n [-0.   1. ]]");
        assertThat(hash(small)).isEqualTo("417a72d2e3d618e14ff4080574e740bcc1c9bc7fe0fafaab27b41e01e14d302b");
        assertThat(text(a(4, 12))).isEqualTo("[[-0.8 -0.6 -0.5 -0.4 -0.2 -0.1  0.   0.1  0.3  0.4  0.5  0.7]\n"
                + " [-0.5 -0.4 -0.3 -0.1 -0.   0.1  0.3  0.4  0.5  0.7 -0.8 -0.6]\n"
                + " [-0.3 -0.2 -0.   0.1  0.2  0.4  0.5  0.6  0.8 -0.7 -0.5 -0.4]\n"
                + " [-0.1  0.1  0.2  0.3  0.5  0.6  0.7 -0.7 -0.6 -0.4 -0.3 -0.2]]");
        assertThat(hash(a(4, 12))).isEqualTo("fd317a0822b857d90046c57e101b1e3f58f0dbb5dd8176c8ac7c278802a085e9");
    }

    @Test
    void aVocabularySizedMatrixShowsItsCorners() {
        float[][] w = a(50257, 16);
        assertThat(text(w)).isEqualTo("[[-0.8 -0.6 -0.5 ... -0.6 -0.5 -0.4]\n [-0.5 -0.4 -0.3 ... -0.4 -0.2 -0.1]\n"
                + " [-0.3 -0.2 -0.  ... -0.1  0.   0.1]\n ...\n [-0.2 -0.1  0.1 ... -0.   0.1  0.2]\n"
                + " [ 0.   0.2  0.3 ...  0.2  0.3  0.5]\n [ 0.3  0.4  0.5 ...  0.4  0.6  0.7]]");
        assertThat(hash(w)).isEqualTo("f5f1722d947d972bc762d7b2346bc91d47422c90b69124ec3d144b51c23a705f");
    }

    @Test
    void aWideRangeIsScientificAndWrapsAtSeventyFiveColumns() {
        assertThat(text(e(9, 5))).isEqualTo("[[-8.8e-03 -1.2e-02 -1.2e-02  0.0e+00  4.7e-02]\n"
                + " [-3.9e-03  3.9e-03  3.1e-02  1.1e-01 -2.8e-01]\n [ 2.0e-02  6.2e-02 -1.2e-01 -1.6e-01 -1.2e-01]\n"
                + " [-5.5e-02 -6.2e-02 -3.1e-02  1.2e-01  6.2e-01]\n [ 0.0e+00  9.4e-02  3.8e-01  1.1e+00 -1.8e+00]\n"
                + " [ 2.2e-01 -5.6e-01 -7.5e-01 -7.5e-01  0.0e+00]\n [-3.1e-01 -2.5e-01  2.5e-01  2.0e+00  7.0e+00]\n"
                + " [ 2.5e-01  1.2e+00  4.0e+00 -8.0e+00 -1.0e+01]\n [ 2.2e+00 -3.5e+00 -4.0e+00 -2.0e+00  8.0e+00]]");
        String wrapped = text(e(30, 30));
        assertThat(wrapped).startsWith("[[-8.8e-03 -1.2e-02 -1.2e-02  0.0e+00  4.7e-02  1.9e-01  5.6e-01 -8.8e-01\n"
                + "  -1.0e+00 -5.0e-01  2.0e+00  1.0e+01");
        assertThat(wrapped.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(75));
        assertThat(hash(e(30, 30))).isEqualTo("efa25a51072c621d252902da54a06c0ac5f843842074f5b619dabef6f543f720");
    }
}
