package dev.logitscope.ui.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.lens.ModelInfo;
import dev.logitscope.model.ModelShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model's one-line summary, and the shorter forms a narrow window shows instead of an ellipsis. */
class ModelSummaryTest {
    // gpt2-large: 36 layers, width 1280, 20 heads, 774,030,080 parameters, float32 weights
    private static final ModelInfo GPT2_LARGE = new ModelInfo("gpt2-large",
            new ModelShape("gpt2", 36, 1280, 20, 1024, 50257, 774_030_080L), 774_030_080L * 4, 0);

    @Test
    void theFormsGoFromTheWholeSummaryToTheNameDroppingTheShapeFirst() {
        List<String> forms = ModelSummary.forms(GPT2_LARGE);
        assertThat(forms).containsExactly(
                "gpt2-large · 36 layers · width 1280 · 20 heads · 774.0 M parameters · 2.88 GiB weights · context 1024",
                "gpt2-large · 36 layers · 774.0 M parameters · 2.88 GiB weights",
                "gpt2-large · 36 layers · 774.0 M parameters",
                "gpt2-large · 36 layers · 2.88 GiB weights",
                "gpt2-large · 36 layers",
                "gpt2-large");
        assertThat(forms.get(0)).isEqualTo(ModelSummary.describe(GPT2_LARGE));
        for (int i = 1; i < forms.size(); i++) {
            assertThat(forms.get(i).length()).isLessThan(forms.get(i - 1).length());
        }
    }

    @Test
    void aModelWhoseLensIsNotTheUsualOneSaysWhatItReadsThrough() {
        // opt-350m: post-LN, no final LayerNorm, so each layer is read through the unembedding alone
        ModelInfo opt350m = new ModelInfo("facebook/opt-350m", new ModelShape("opt", 24, 1024, 16, 2048, 50272,
                331_196_416L), 331_196_416L * 4, 0, "post-LN, no final norm");
        List<String> forms = ModelSummary.forms(opt350m);
        assertThat(forms).containsExactly(
                "facebook/opt-350m · 24 layers · width 1024 · 16 heads · 331.2 M parameters · 1.23 GiB weights · context 2048"
                        + " · lens: post-LN, no final norm",
                "facebook/opt-350m · 24 layers · 331.2 M parameters · 1.23 GiB weights · lens: post-LN, no final norm",
                "facebook/opt-350m · 24 layers · 331.2 M parameters · lens: post-LN, no final norm",
                "facebook/opt-350m · 24 layers · 1.23 GiB weights",
                "facebook/opt-350m · 24 layers",
                "facebook/opt-350m");
        for (int i = 1; i < forms.size(); i++) {
            assertThat(forms.get(i).length()).isLessThan(forms.get(i - 1).length());
        }
    }
}
