package dev.logitscope.lens;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TapPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a copy of the residual stream at the positions the lens will read, for every tap, in
 * forward order: embed, [1-0.5], block 1, [2-0.5], block 2, ...
 */
final class ResidualCollector implements ResidualListener {
    record Kept(TapPoint tap, NDArray rows) {} // rows: [P, C]

    private final NDManager owner;
    private final int fromPosition;
    private final int toPosition;
    private final boolean midBlock;
    private final List<Kept> kept = new ArrayList<>();

    /** Keeps positions {@code fromPosition .. toPosition-1} of every tap. */
    ResidualCollector(NDManager owner, int fromPosition, int toPosition, boolean midBlock) {
        this.owner = owner;
        this.fromPosition = fromPosition;
        this.toPosition = toPosition;
        this.midBlock = midBlock;
    }

    @Override
    public boolean wantsMidBlock() {
        return midBlock;
    }

    @Override
    public void onResidual(TapPoint tap, int firstPosition, NDArray residual) {
        long t = residual.getShape().get(0);
        int skip = fromPosition - firstPosition;
        if (skip < 0 || skip >= t) {
            throw new IllegalStateException("tap at positions " + firstPosition + ".." + (firstPosition + t - 1)
                    + " does not cover position " + fromPosition);
        }
        NDArray view = residual.get(new NDIndex("{}:{}", skip, toPosition - firstPosition)); // [P, C]
        NDArray copy = view.duplicate(); // the residual array is freed after this block
        kept.add(new Kept(tap, ResidualListener.keep(copy, owner)));
    }

    List<Kept> kept() {
        return kept;
    }
}
