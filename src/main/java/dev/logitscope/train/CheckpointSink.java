package dev.logitscope.train;

import java.io.IOException;

/** Saves the model, the optimizer and the record after each epoch (on the model thread). */
@FunctionalInterface
public interface CheckpointSink {
    void save(TrainingState state, AdamW optimizer) throws IOException;
}
