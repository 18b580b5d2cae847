package dev.logitscope.train;

/** Hears a run's progress, on the model thread. */
public interface TrainingListener {
    void onProgress(TrainingProgress progress);

    void onEpoch(EpochMetrics metrics);

    TrainingListener NONE = new TrainingListener() {
        @Override
        public void onProgress(TrainingProgress progress) {}

        @Override
        public void onEpoch(EpochMetrics metrics) {}
    };
}
