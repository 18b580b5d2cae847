package dev.logitscope.lens;

/**
 * How well the affine lens fits one hidden state, measured on held-out tokens.
 *
 * @param layer          0 = embeddings … L−1
 * @param ridgeAbsolute  the λ added to the diagonal of this layer's centred Σ(x−x̄)(x−x̄)ᵀ
 * @param r2             1 − Σ‖h_L − (h + W·h + b)‖² / Σ‖h_L − h̄_L‖²: the share of the last layer's variance the
 *                       fitted map explains
 * @param r2Identity     the same for the identity (the plain logit lens reads h as it is)
 * @param klLogitLens    mean KL(final ‖ logit lens of this layer), nats
 * @param klAffineLens   mean KL(final ‖ affine lens of this layer), nats
 */
public record LayerFit(int layer, double ridgeAbsolute, double r2, double r2Identity, double klLogitLens,
        double klAffineLens) {}
