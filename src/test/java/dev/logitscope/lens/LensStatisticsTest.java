package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fused per-row statistics against textbook double-precision softmax arithmetic. */
class LensStatisticsTest {
    private static final int VOCAB = 1000;

    @Test
    void expMatchesMathExpToAFewMillionthsOverItsWholeRange() {
        double worst = 0;
        for (float x = 0f; x > -87f; x -= 0.00137f) {
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(LensStatistics.expNonPositive(x) - exact) / exact);
        }
        assertThat(worst).isLessThan(1e-6);
        assertThat(LensStatistics.expNonPositive(0f)).isCloseTo(1f, within(1e-6f));
        assertThat(LensStatistics.expNonPositive(-100f)).isZero();
        assertThat(LensStatistics.expNonPositive(Float.NEGATIVE_INFINITY)).isZero();
        assertThat(LensStatistics.expNonPositive(Float.NaN)).isNaN();
    }

    @Test
    void everyStatisticMatchesADirectSoftmax() {
        SplittableRandom random = new SplittableRandom(11);
        int taps = 3;
        int positions = 4;
        float[] logits = new float[taps * positions * VOCAB];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (random.nextDouble(-12, 12) + (i % VOCAB == 7 ? 30 : 0));
        }
        int[] tracked = {7, 500, 999};
        int[] next = new int[taps * positions];
        for (int row = 0; row < next.length; row++) {
            next[row] = 40 + row;
        }
        int position0 = 10;
        int promptLength = position0 + positions; // the last position has no next token
        List<PositionReading> readings = LensStatistics.readings(logits, VOCAB, taps, taps - 1, tracked, 5, position0, next,
                promptLength, id -> "t" + id);

        assertThat(readings).hasSize(taps * positions);
        for (int row = 0; row < readings.size(); row++) {
            PositionReading reading = readings.get(row);
            int j = row % positions;
            double[] p = softmax(logits, row);
            double[] pFinal = softmax(logits, (taps - 1) * positions + j);
            assertThat(reading.position()).isEqualTo(position0 + j);
            double entropy = 0;
            double kl = 0;
            for (int i = 0; i < VOCAB; i++) {
                entropy -= p[i] * Math.log(p[i]);
                kl += pFinal[i] * (Math.log(pFinal[i]) - Math.log(p[i]));
            }
            assertThat(reading.entropy()).isCloseTo(entropy, within(1e-5));
            assertThat(reading.klToFinal()).isCloseTo(kl, within(1e-5));
            for (int t = 0; t < tracked.length; t++) {
                assertThat(reading.trackedProbs()[t]).isCloseTo(p[tracked[t]], within(2e-6 * p[tracked[t]]));
                int above = 0;
                for (int i = 0; i < VOCAB; i++) {
                    above += logits[row * VOCAB + i] > logits[row * VOCAB + tracked[t]] ? 1 : 0;
                }
                assertThat(reading.trackedRanks()[t]).isEqualTo(above);
            }
            assertThat(reading.trackedRanks()[0]).isZero(); // token 7 was boosted to the top
            assertThat(reading.top()).hasSize(5);
            assertThat(reading.top().get(0).id()).isEqualTo(7);
            assertThat(reading.top().get(0).token()).isEqualTo("t7");
            for (int r = 1; r < 5; r++) {
                assertThat(reading.top().get(r).prob()).isLessThanOrEqualTo(reading.top().get(r - 1).prob());
            }
            assertThat(reading.top().get(4).prob()).isCloseTo(kthLargest(p, 5), within(1e-9));
            if (j == positions - 1) {
                assertThat(reading.nextTokenLogProb()).isNaN();
            } else {
                assertThat(reading.nextTokenLogProb()).isCloseTo(Math.log(p[next[row]]), within(1e-6));
            }
        }
        for (int j = 0; j < positions; j++) {
            assertThat(readings.get((taps - 1) * positions + j).klToFinal()).isZero();
        }
    }

    @Test
    void tiesRankEquallyAndTopKKeepsTheLowerIdFirst() {
        float[] logits = new float[VOCAB]; // a uniform distribution: everything ties
        List<PositionReading> readings = LensStatistics.readings(logits, VOCAB, 1, 0, new int[] {3, 900}, 3, 0, null, 1,
                id -> "");
        PositionReading reading = readings.get(0);
        assertThat(reading.trackedRanks()).containsExactly(0, 0);
        assertThat(reading.trackedProbs()[0]).isCloseTo(1.0 / VOCAB, within(2e-9));
        assertThat(reading.entropy()).isCloseTo(Math.log(VOCAB), within(1e-5));
        assertThat(reading.top()).extracting(TopToken::id).containsExactly(0, 1, 2);
        assertThat(reading.nextTokenLogProb()).isNaN();
    }

    @Test
    void topKZeroAndTopKBeyondTheVocabulary() {
        float[] logits = {1f, 3f, 2f};
        assertThat(LensStatistics.readings(logits, 3, 1, 0, new int[0], 0, 0, null, 1, id -> "").get(0).top()).isEmpty();
        assertThat(LensStatistics.readings(logits, 3, 1, 0, new int[0], 10, 0, null, 1, id -> "").get(0).top())
                .extracting(TopToken::id).containsExactly(1, 2, 0);
    }

    private static double[] softmax(float[] logits, int row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < VOCAB; i++) {
            max = Math.max(max, logits[row * VOCAB + i]);
        }
        double sum = 0;
        double[] p = new double[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            p[i] = Math.exp(logits[row * VOCAB + i] - max);
            sum += p[i];
        }
        for (int i = 0; i < VOCAB; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private static double kthLargest(double[] p, int k) {
        return java.util.Arrays.stream(p).boxed().sorted(java.util.Comparator.reverseOrder()).skip(k - 1).findFirst().orElseThrow();
    }
}
