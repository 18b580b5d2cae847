package dev.logitscope.model;

import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.tensors.TensorFile;
import dev.logitscope.torchfile.TorchCheckpointFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open weight files of one checkpoint, one or several shards, read as one: every tensor
 * name leads to the file that holds it. For shards the index's {@code weight_map} decides, as in
 * transformers, and each named tensor must be in the shard it names.
 */
public final class CheckpointFiles implements AutoCloseable {
    private final List<TensorFile> files;
    private final Map<String, TensorFile> fileOf;
    private final String description;

    private CheckpointFiles(List<TensorFile> files, Map<String, TensorFile> fileOf, String description) {
        this.files = files;
        this.fileOf = fileOf;
        this.description = description;
    }

    /** Opens every file of {@code weights}. */
    public static CheckpointFiles open(ModelFolder.WeightFiles weights) throws ModelException {
        List<TensorFile> opened = new ArrayList<>();
        try {
            Map<Path, TensorFile> byPath = new LinkedHashMap<>();
            for (Path file : weights.files()) {
                TensorFile f = openFile(file);
                opened.add(f);
                byPath.put(file, f);
            }
            Map<String, TensorFile> fileOf = new LinkedHashMap<>();
            if (!weights.sharded()) {
                TensorFile only = opened.get(0);
                only.names().forEach(name -> fileOf.put(name, only));
                return new CheckpointFiles(opened, fileOf, only.path().toString());
            }
            for (Map.Entry<String, Path> e : weights.shardOf().entrySet()) {
                TensorFile shard = byPath.get(e.getValue());
                if (shard.info(e.getKey()).isEmpty()) {
                    throw new ModelException(shard.path() + " has no tensor '" + e.getKey() + "', which "
                            + weights.index().getFileName() + " places there. The shards and the index do not belong together.");
                }
                fileOf.put(e.getKey(), shard);
            }
            return new CheckpointFiles(opened, fileOf, weights.index() + " and its " + opened.size() + " shards");
        } catch (IOException e) {
            opened.forEach(TensorFile::close);
            throw new ModelException(e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            opened.forEach(TensorFile::close);
            throw e;
        }
    }

    /**
     * Opens one weight file in the reader its format needs: by its first bytes (a torch.save zip or
     * legacy pickle, whatever its name), else by its name ({@code .bin}, {@code .pt}, {@code .pth}
     * are PyTorch's, whose reader then says what the file is instead), else safetensors.
     */
    static TensorFile openFile(Path file) throws IOException {
        return isTorchSave(file) ? TorchCheckpointFile.open(file) : SafetensorsFile.open(file);
    }

    static boolean isTorchSave(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString();
        return TorchCheckpointFile.looksLikeTorchSave(file) || n.endsWith(".bin") || n.endsWith(".pt") || n.endsWith(".pth");
    }

    /** Every tensor name of the checkpoint. */
    public List<String> names() {
        return List.copyOf(fileOf.keySet());
    }

    /** The file that holds {@code name}. */
    public TensorFile fileOf(String name) throws ModelException {
        TensorFile file = fileOf.get(name);
        if (file == null) {
            throw new ModelException(description + " has no tensor '" + name + "'.");
        }
        return file;
    }

    /** The files, for messages: a path, or the index and its shard count. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        files.forEach(TensorFile::close);
    }
}
