package dev.logitscope.model;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.function.Predicate;

/**
 * How every family loads a model folder, written once: watch the weight files from before the
 * first read, read the config, open the checkpoint files (single, sharded, safetensors or
 * pytorch_model.bin), read the class labels when the checkpoint has a classification head, let the
 * family build its weights and model in a sub-manager of its own, and refuse a load the weight
 * files changed under. Must run on the model thread.
 */
public final class CheckpointLoad {
    private CheckpointLoad() {}

    /** A family's config.json reader. */
    @FunctionalInterface
    public interface ConfigReader<C> {
        C read(ModelFolder folder) throws ModelException;
    }

    /** A family's weights and model, from its config and the open checkpoint. */
    @FunctionalInterface
    public interface Builder<C, M> {
        /**
         * @param labels the classification head's classes, or null when the checkpoint has none
         */
        M build(C config, CheckpointFiles files, ClassLabels labels, NDManager manager, CheckpointWatch checkpoint)
                throws ModelException;
    }

    /**
     * @param hasClassifierHead whether the checkpoint's stored names include a classification head
     */
    public static <C, M> M load(ModelFolder folder, NDManager parent, ConfigReader<C> readConfig,
            Predicate<List<String>> hasClassifierHead, Builder<C, M> build) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch checkpoint = CheckpointWatch.start(files.files()); // before reading: a save during the load counts
        C config = readConfig.read(folder);
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles tensors = CheckpointFiles.open(files)) {
            ClassLabels labels = hasClassifierHead.test(tensors.names())
                    ? ClassLabels.fromConfig(folder.configJson(), folder.config().toString()) : null;
            M model = build.build(config, tensors, labels, manager, checkpoint);
            if (checkpoint.changed()) {
                // Part old, part new weights would be a model nobody trained.
                throw new ModelException(checkpoint.file() + " changed while it was being loaded (is a training run saving it?)."
                        + " Load the model again once it has been written.");
            }
            return model;
        } catch (ModelException | RuntimeException e) {
            manager.close(); // the model, if built, owns nothing outside it
            throw e;
        }
    }
}
