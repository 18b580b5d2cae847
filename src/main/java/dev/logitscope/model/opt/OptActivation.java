package dev.logitscope.model.opt;

import dev.logitscope.model.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The MLP activations of transformers' {@code ACT2FN} that an OPT config may name in
 * {@code activation_function} (every released OPT uses {@code relu}).
 */
public enum OptActivation {
    RELU("relu"),
    /** The exact (erf) GELU, transformers' {@code GELUActivation}. */
    GELU("gelu"),
    /** The tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU_NEW("gelu_new"),
    /** torch's {@code gelu(approximate="tanh")}: the same function as gelu_new. */
    GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
    SILU("silu"),
    /** transformers' alias of silu. */
    SWISH("swish");

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    final String configName;

    OptActivation(String configName) {
        this.configName = configName;
    }

    /** The activation config.json names, or null when it is not one of these. */
    static OptActivation named(String name) {
        for (OptActivation a : values()) {
            if (a.configName.equals(name)) {
                return a;
            }
        }
        return null;
    }

    static String supported() {
        return Arrays.stream(values()).map(a -> a.configName).collect(Collectors.joining(", "));
    }

    NDArray apply(NDArray x) {
        return switch (this) {
            case RELU -> Activation.relu(x);
            case GELU -> Activation.gelu(x); // DJL's gelu is the erf form
            // 0.5·(1 + tanh(z)) = σ(2z): the same function in fewer native calls.
            case GELU_NEW, GELU_PYTORCH_TANH -> Activation.sigmoid(x.pow(Scalars.ofInt(x, 3)).mul(Scalars.of(x, 0.044715)).add(x).mul(Scalars.of(x, 2 * SQRT_2_OVER_PI))).mul(x);
            case SILU, SWISH -> Activation.sigmoid(x).mul(x);
        };
    }
}
