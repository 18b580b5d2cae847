package dev.logitscope.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReferenceGpt2Test {

    private static final double EPS = 1e-5;

    @TempDir
    Path dir;

    // ---- helpers -------------------------------------------------------------------------------

    @Test
    void geluNewAtKnownPoints() {
        assertThat(ReferenceGpt2.geluNew(1.0)).isCloseTo(0.8411919906082768, within(1e-15));
        assertThat(ReferenceGpt2.geluNew(-1.0)).isCloseTo(-0.15880800939172324, within(1e-15));
        assertThat(ReferenceGpt2.geluNew(0.0)).isZero();
        assertThat(ReferenceGpt2.geluNew(10.0)).isCloseTo(10.0, within(1e-12));
        assertThat(ReferenceGpt2.geluNew(-10.0)).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void softmaxEntropyAndKl() {
        assertThat(ReferenceGpt2.softmax(new double[] {0, Math.log(3)}))
                .containsExactly(new double[] {0.25, 0.75}, within(1e-15));
        assertThat(ReferenceGpt2.softmax(new double[] {1000, 1000})).containsExactly(0.5, 0.5); // no overflow
        assertThat(ReferenceGpt2.entropy(new double[] {0.25, 0.25, 0.25, 0.25})).isCloseTo(Math.log(4), within(1e-15));
        assertThat(ReferenceGpt2.entropy(new double[] {1, 0})).isZero();
        double[] p = {0.5, 0.5};
        double[] q = {0.25, 0.75};
        assertThat(ReferenceGpt2.klDivergence(p, p)).isZero();
        assertThat(ReferenceGpt2.klDivergence(p, q))
                .isCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2.0 / 3.0), within(1e-15));
        assertThat(ReferenceGpt2.klDivergence(new double[] {1, 0}, q)).isCloseTo(Math.log(4), within(1e-15));
    }

    @Test
    void layerNormUsesBiasedVarianceAndEps() {
        double[] y = ReferenceGpt2.layerNorm(new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1},
                new double[] {0, 0, 0, 0}, 0.0);
        double s = Math.sqrt(1.25); // biased variance of 1..4
        assertThat(y).containsExactly(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, within(1e-15));
        double[] withEps = ReferenceGpt2.layerNorm(new double[] {3, 1}, new double[] {2, 1},
                new double[] {0.5, -1}, 0.25);
        // mean 2, variance 1, scale 1/sqrt(1.25)
        assertThat(withEps).containsExactly(new double[] {2 / Math.sqrt(1.25) + 0.5, -1 / Math.sqrt(1.25) - 1},
                within(1e-15));
    }

    // ---- a one-block model worked out by hand --------------------------------------------------

    /** 1 block, n_embd 2, vocab 2, 2 positions, MLP width 8; weights chosen so the algebra stays small. */
    private static Map<String, float[]> handWeights() {
        Map<String, float[]> w = new HashMap<>();
        w.put("wte.weight", new float[] {1, 0, 0, 1});            // [2][2] identity
        w.put("wpe.weight", new float[] {0, 0, 0.5f, 0});         // [2][2]
        w.put("h.0.ln_1.weight", new float[] {1, 1});
        w.put("h.0.ln_1.bias", new float[] {0, 0});
        w.put("h.0.attn.c_attn.weight", new float[] {             // [2][6]: q = diag(1,2), k = I, v = diag(3,1)
            1, 0, 1, 0, 3, 0,
            0, 2, 0, 1, 0, 1});
        w.put("h.0.attn.c_attn.bias", new float[6]);
        w.put("h.0.attn.c_proj.weight", new float[] {1, 0.5f, 0, 1}); // [2][2]
        w.put("h.0.attn.c_proj.bias", new float[] {0.125f, -0.25f});
        w.put("h.0.ln_2.weight", new float[] {1.5f, 0.5f});
        w.put("h.0.ln_2.bias", new float[] {0, 0.25f});
        float[] cFc = new float[2 * 8];                           // [2][8]: only column 0 reads the input
        cFc[0] = 1;
        cFc[8] = -1;
        w.put("h.0.mlp.c_fc.weight", cFc);
        w.put("h.0.mlp.c_fc.bias", new float[] {0.25f, -0.5f, 0, 0, 0, 0, 0, 0});
        float[] mlpProj = new float[8 * 2];                       // [8][2]
        mlpProj[0] = 1;
        mlpProj[1] = 2;
        mlpProj[3] = 1;                                           // row 1 = [0, 1]
        mlpProj[4] = 5;                                           // row 2 = [5, 5]: multiplied by gelu(0) = 0
        mlpProj[5] = 5;
        w.put("h.0.mlp.c_proj.weight", mlpProj);
        w.put("h.0.mlp.c_proj.bias", new float[] {0, 0.0625f});
        w.put("ln_f.weight", new float[] {2, 1});
        w.put("ln_f.bias", new float[] {0.5f, 0});
        return w;
    }

    /** LayerNorm of a 2-vector: deviations ±d with d = (a − b)/2, variance d². */
    private static double[] layerNorm2(double a, double b, double g0, double g1, double b0, double b1) {
        double d = (a - b) / 2;
        double n = d / Math.sqrt(d * d + EPS);
        return new double[] {n * g0 + b0, -n * g1 + b1};
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void oneBlockByHand(int nHead) {
        ReferenceGpt2 ref = new ReferenceGpt2(1, nHead, EPS, handWeights());
        ReferenceGpt2.Result r = ref.run(new int[] {0, 1});

        double[] x0 = {1, 0};    // wte[0] + wpe[0]
        double[] x1 = {0.5, 1};  // wte[1] + wpe[1]
        // ln_1 (gain 1, bias 0): h_t = [n_t, -n_t]
        double n0 = layerNorm2(x0[0], x0[1], 1, 1, 0, 0)[0];
        double n1 = layerNorm2(x1[0], x1[1], 1, 1, 0, 0)[0];
        // q_t = [n_t, -2 n_t], k_t = [n_t, -n_t], v_t = [3 n_t, -n_t]
        double[] a0 = {3 * n0, -n0}; // position 0 sees only itself
        double[] a1 = new double[2];
        if (nHead == 1) { // head_dim 2, scale 1/sqrt(2): q1·k0 = 3 n1 n0, q1·k1 = 3 n1²
            double[] w = softmax2(3 * n1 * n0 / Math.sqrt(2), 3 * n1 * n1 / Math.sqrt(2));
            a1[0] = w[0] * 3 * n0 + w[1] * 3 * n1;
            a1[1] = w[0] * -n0 + w[1] * -n1;
        } else { // head_dim 1, scale 1: head 0 reads component 0, head 1 component 1
            double[] w0 = softmax2(n1 * n0, n1 * n1);
            double[] w1 = softmax2(2 * n1 * n0, 2 * n1 * n1);
            a1[0] = w0[0] * 3 * n0 + w0[1] * 3 * n1;
            a1[1] = w1[0] * -n0 + w1[1] * -n1;
        }
        // c_proj: y = a·[[1, 0.5], [0, 1]] + [0.125, -0.25]
        double[] mid0 = {x0[0] + a0[0] + 0.125, x0[1] + 0.5 * a0[0] + a0[1] - 0.25};
        double[] mid1 = {x1[0] + a1[0] + 0.125, x1[1] + 0.5 * a1[0] + a1[1] - 0.25};
        double[] out0 = mlpByHand(mid0);
        double[] out1 = mlpByHand(mid1);
        // ln_f (gain [2, 1], bias [0.5, 0]); wte is the identity, so the logits are ln_f's output
        double[] logits0 = layerNorm2(out0[0], out0[1], 2, 1, 0.5, 0);
        double[] logits1 = layerNorm2(out1[0], out1[1], 2, 1, 0.5, 0);

        double tol = 1e-12;
        assertThat(r.afterLayer()[0][0]).containsExactly(x0, within(tol));
        assertThat(r.afterLayer()[0][1]).containsExactly(x1, within(tol));
        assertThat(r.midBlock()[0][0]).containsExactly(mid0, within(tol));
        assertThat(r.midBlock()[0][1]).containsExactly(mid1, within(tol));
        assertThat(r.afterLayer()[1][0]).containsExactly(out0, within(tol));
        assertThat(r.afterLayer()[1][1]).containsExactly(out1, within(tol));
        assertThat(r.logits()[0]).containsExactly(logits0, within(tol));
        assertThat(r.logits()[1]).containsExactly(logits1, within(tol));
    }

    /** ln_2 (gain [1.5, 0.5], bias [0, 0.25]), c_fc column 0 = [1, -1] + 0.25, column 1 = bias −0.5. */
    private static double[] mlpByHand(double[] mid) {
        double[] l = layerNorm2(mid[0], mid[1], 1.5, 0.5, 0, 0.25);
        double g0 = gelu(l[0] - l[1] + 0.25);
        double g1 = gelu(-0.5);
        // c_proj rows: [1, 2], [0, 1], bias [0, 0.0625]
        return new double[] {mid[0] + g0, mid[1] + 2 * g0 + g1 + 0.0625};
    }

    private static double[] softmax2(double s0, double s1) {
        double e0 = Math.exp(s0);
        double e1 = Math.exp(s1);
        return new double[] {e0 / (e0 + e1), e1 / (e0 + e1)};
    }

    @Test
    void untiedLmHeadIsUsedForTheLogits() {
        Map<String, float[]> w = handWeights();
        ReferenceGpt2 tied = new ReferenceGpt2(1, 1, EPS, w);
        w.put("lm_head.weight", new float[] {0, 1, 1, 0}); // swaps the two logits
        ReferenceGpt2 untied = new ReferenceGpt2(1, 1, EPS, w);
        double[] a = tied.run(new int[] {1, 0}).logits()[1];
        double[] b = untied.run(new int[] {1, 0}).logits()[1];
        assertThat(b).containsExactly(new double[] {a[1], a[0]}, within(1e-15));
    }

    // ---- properties on a random tiny checkpoint ------------------------------------------------

    private ReferenceGpt2 randomModel() throws IOException {
        return new ReferenceGpt2(TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(4).nPositions(16).write(dir));
    }

    @Test
    void causalEarlierPositionsDoNotSeeLaterTokens() throws IOException {
        ReferenceGpt2 ref = randomModel();
        ReferenceGpt2.Result shortRun = ref.run(new int[] {5, 17, 256});
        ReferenceGpt2.Result longRun = ref.run(new int[] {5, 17, 256, 40, 299, 3});
        for (int layer = 0; layer <= 3; layer++) {
            for (int t = 0; t < 3; t++) {
                assertThat(longRun.afterLayer()[layer][t]).containsExactly(shortRun.afterLayer()[layer][t], within(1e-12));
                if (layer < 3) {
                    assertThat(longRun.midBlock()[layer][t]).containsExactly(shortRun.midBlock()[layer][t], within(1e-12));
                }
            }
        }
        for (int t = 0; t < 3; t++) {
            assertThat(longRun.logits()[t]).containsExactly(shortRun.logits()[t], within(1e-12));
        }
    }

    @Test
    void lensOfTheLastLayerIsTheModelOutputAndEveryLensSumsToOne() throws IOException {
        ReferenceGpt2 ref = randomModel();
        ReferenceGpt2.Result r = ref.run(new int[] {10, 20, 30, 40, 50});
        assertThat(r.nLayer()).isEqualTo(3);
        assertThat(r.afterLayer()).hasDimensions(4, 5);
        assertThat(r.midBlock()).hasDimensions(3, 5);
        assertThat(r.logits()).hasDimensions(5, TinyTokenizer.VOCAB_SIZE);
        for (int t = 0; t < 5; t++) {
            assertThat(ref.lensProbabilities(r.afterLayer()[3][t]))
                    .containsExactly(ReferenceGpt2.softmax(r.logits()[t]), within(1e-12));
            for (int layer = 0; layer <= 3; layer++) {
                assertThat(Arrays.stream(ref.lensProbabilities(r.afterLayer()[layer][t])).sum())
                        .isCloseTo(1.0, within(1e-12));
            }
            for (int layer = 0; layer < 3; layer++) {
                assertThat(Arrays.stream(ref.lensProbabilities(r.midBlock()[layer][t])).sum())
                        .isCloseTo(1.0, within(1e-12));
            }
        }
    }

    @Test
    void lensNormalisesEachResidualWithItsOwnStatistics() throws IOException {
        ReferenceGpt2 ref = randomModel();
        double[] residual = ref.run(new int[] {1, 2, 3}).afterLayer()[1][2];
        double[] shifted = new double[residual.length];
        for (int c = 0; c < residual.length; c++) {
            shifted[c] = 10 * residual[c] + 7; // LayerNorm removes mean and scale (up to eps)
        }
        assertThat(ref.lensProbabilities(shifted)).containsExactly(ref.lensProbabilities(residual), within(1e-5));
    }

    @Test
    void randomModelIsNotTrivial() throws IOException {
        ReferenceGpt2 ref = randomModel();
        ReferenceGpt2.Result r = ref.run(new int[] {100, 200, 256, 7, 64});
        int last = 4;
        // each block changes the lens distribution clearly
        for (int layer = 0; layer < 3; layer++) {
            double[] p = ref.lensProbabilities(r.afterLayer()[layer][last]);
            double[] q = ref.lensProbabilities(r.afterLayer()[layer + 1][last]);
            assertThat(ReferenceGpt2.klDivergence(q, p)).as("KL layer %d→%d", layer, layer + 1).isGreaterThan(0.05);
        }
        // the output is far from uniform, and context matters
        assertThat(ReferenceGpt2.entropy(ReferenceGpt2.softmax(r.logits()[last])))
                .isLessThan(Math.log(TinyTokenizer.VOCAB_SIZE) - 0.5);
        ReferenceGpt2.Result other = ref.run(new int[] {150, 33, 256, 7, 64});
        assertThat(other.afterLayer()[0][last]).containsExactly(r.afterLayer()[0][last], within(0.0));
        assertThat(distance(other.afterLayer()[3][last], r.afterLayer()[3][last])).isGreaterThan(0.5);
    }

    @Test
    void rejectsBadInput() throws IOException {
        ReferenceGpt2 ref = randomModel();
        assertThatThrownBy(() -> ref.run(new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ref.run(new int[] {TinyTokenizer.VOCAB_SIZE})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ref.run(new int[17])).isInstanceOf(IllegalArgumentException.class);
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s);
    }
}
