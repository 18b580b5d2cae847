package dev.logitscope.model;

import dev.logitscope.safetensors.SafetensorsException;
import dev.logitscope.safetensors.SafetensorsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open safetensors files of one checkpoint, one or several shards, read as one: every tensor
 * name leads to the file that holds it. For shards the index's {@code weight_map} decides, as in
 * transformers, and each named tensor must be in the shard it names.
 */
public final class CheckpointFiles implements AutoCloseable {
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> fileOf;
    private final String description;

    private CheckpointFiles(List<SafetensorsFile> files, Map<String, SafetensorsFile> fileOf, String description) {
        this.files = files;
        this.fileOf = fileOf;
        this.description = description;
    }

    /** Opens every file of {@code weights}. */
    public static CheckpointFiles open(ModelFolder.WeightFiles weights) throws ModelException {
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<Path, SafetensorsFile> byPath = new LinkedHashMap<>();
            for (Path file : weights.files()) {
                SafetensorsFile f = SafetensorsFile.open(file);
                opened.add(f);
                byPath.put(file, f);
            }
            Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
            if (!weights.sharded()) {
                SafetensorsFile only = opened.get(0);
                only.names().forEach(name -> fileOf.put(name, only));
                return new CheckpointFiles(opened, fileOf, only.path().toString());
            }
            for (Map.Entry<String, Path> e : weights.shardOf().entrySet()) {
                SafetensorsFile shard = byPath.get(e.getValue());
                if (shard.info(e.getKey()).isEmpty()) {
                    throw new ModelException(shard.path() + " has no tensor '" + e.getKey() + "', which "
                            + ModelFolder.WEIGHT_INDEX + " places there. The shards and the index do not belong together.");
                }
                fileOf.put(e.getKey(), shard);
            }
            Path folder = weights.files().get(0).getParent();
            return new CheckpointFiles(opened, fileOf, folder.resolve(ModelFolder.WEIGHT_INDEX) + " and its "
                    + opened.size() + " shards");
        } catch (SafetensorsException e) {
            opened.forEach(SafetensorsFile::close);
            throw new ModelException(e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            opened.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    /** Every tensor name of the checkpoint. */
    public List<String> names() {
        return List.copyOf(fileOf.keySet());
    }

    /** The file that holds {@code name}. */
    public SafetensorsFile fileOf(String name) throws ModelException {
        SafetensorsFile file = fileOf.get(name);
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
        files.forEach(SafetensorsFile::close);
    }
}
