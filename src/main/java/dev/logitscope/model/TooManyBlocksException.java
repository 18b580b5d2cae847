package dev.logitscope.model;

/**
 * More trainable blocks asked for than the model has. Carries the counts so a surface can point
 * at its own field; the message is the command line's.
 *
 * @see TrainableLeaves#checkBlocks
 */
public final class TooManyBlocksException extends ModelException {
    private static final long serialVersionUID = 1L;

    private final int requested;
    private final int blocks;
    private final String what;

    public TooManyBlocksException(int requested, int blocks, String what) {
        super("--trainable-blocks " + requested + " is more than the model's " + blocks + " " + what + "; give at most "
                + blocks + ", or all.");
        this.requested = requested;
        this.blocks = blocks;
        this.what = what;
    }

    public int requested() {
        return requested;
    }

    /** The model's blocks (decoder layers). */
    public int blocks() {
        return blocks;
    }

    /** What the model calls them: "blocks", "decoder layers". */
    public String what() {
        return what;
    }
}
