package dev.logitscope.model.gptneo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The masks drawn as matrices: 1 = visible, . = hidden; rows are queries, columns keys. */
class AttentionMaskTest {

    private static String draw(float[] mask, int rows) {
        int cols = mask.length / rows;
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                s.append(mask[r * cols + c] == 0f ? '1' : '.');
            }
            s.append('\n');
        }
        return s.toString();
    }

    @Test
    void aLocalPromptSeesTheWindowEndingAtEachQuery() {
        // transformers: tril(ones(5, 5)) ^ tril(ones(5, 5), -2), window_size 2
        assertThat(draw(AttentionMask.build(new int[] {5}, 0, 2), 5)).isEqualTo("""
                1....
                11...
                .11..
                ..11.
                ...11
                """);
        assertThat(draw(AttentionMask.build(new int[] {3}, 0, AttentionMask.UNLIMITED), 3)).isEqualTo("""
                1..
                11.
                111
                """);
    }

    @Test
    void cachedKeysCountTowardsTheWindow() {
        // 3 cached positions, 2 new (positions 3 and 4), window 3: rows 2..4 of the full mask
        assertThat(draw(AttentionMask.build(new int[] {2}, 3, 3), 2)).isEqualTo("""
                .111.
                ..111
                """);
        // one typed token at position 5: only a local layer needs a mask
        assertThat(draw(AttentionMask.build(new int[] {1}, 5, 3), 1)).isEqualTo("...111\n");
        assertThat(AttentionMask.needed(new int[] {1}, 5, 3)).isTrue();
        assertThat(AttentionMask.needed(new int[] {1}, 2, 3)).isFalse();
        assertThat(AttentionMask.needed(new int[] {1}, 5, AttentionMask.UNLIMITED)).isFalse();
        assertThat(AttentionMask.needed(new int[] {2}, 0, AttentionMask.UNLIMITED)).isTrue();
    }

    @Test
    void continuationsSeeThePrefixAndThemselvesWithinTheWindow() {
        // prefix of 3, continuations of 2 and 3 tokens (positions 3-4 and 3-5), window 3
        assertThat(draw(AttentionMask.build(new int[] {2, 3}, 3, 3), 5)).isEqualTo("""
                .111....
                ..111...
                .11..1..
                ..1..11.
                .....111
                """);
        assertThat(draw(AttentionMask.build(new int[] {2, 1}, 1, AttentionMask.UNLIMITED), 3)).isEqualTo("""
                11..
                111.
                1..1
                """);
    }
}
