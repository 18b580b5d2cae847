package dev.logitscope.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.Scalars;

/**
 * torch's dropout ({@code input * bernoulli(1 − p) / (1 − p)}, what {@code nn.Dropout} does in
 * training mode) with masks drawn by libtorch's generator, seeded before each optimizer step from
 * (run seed, step) alone: a run repeats itself, and a resumed run draws the masks an uninterrupted
 * one drew at the same step, with no generator state to save. The forward pass draws in a fixed
 * order, so the masks follow from the seed. The generator is libtorch's global one: nothing else in
 * Logitscope draws from it, so only a training pass's own draws come between the seed and its masks.
 */
final class SeededDropout implements Dropout {
    private final DropoutRates rates;

    private SeededDropout(DropoutRates rates) {
        this.rates = rates;
    }

    /** The dropout of optimizer step {@code step} (from 0) of a run of {@code seed}; {@link Dropout#NONE} when every rate is 0. */
    static Dropout forStep(DropoutRates rates, long seed, long step) {
        if (rates.off()) {
            return Dropout.NONE;
        }
        Engine.getEngine("PyTorch").setRandomSeed(stepSeed(seed, step));
        return new SeededDropout(rates);
    }

    /** A generator seed from (seed, step): SplitMix64's finaliser of their combination, folded to the int torch takes. */
    static int stepSeed(long seed, long step) {
        long z = seed * 0x9E3779B97F4A7C15L + step + 1;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z ^ (z >>> 32)) & Integer.MAX_VALUE;
    }

    @Override
    public NDArray apply(NDArray x, Site site) {
        double p = rates.at(site);
        if (p == 0) {
            return x;
        }
        // keep ~ Bernoulli(1 − p) as P(U ≥ p) for U ~ U[0, 1); scalars libtorch owns (see Scalars).
        NDArray uniform = x.getManager().randomUniform(0f, 1f, x.getShape(), DataType.FLOAT32);
        NDArray mask = uniform.gte(Scalars.of(uniform, p)).toType(x.getDataType(), false).mul(Scalars.of(x, 1.0 / (1.0 - p)));
        return x.mul(mask);
    }
}
