package dev.logitscope.model;

import dev.logitscope.model.gpt2.Gpt2Model;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Run in a child JVM by {@link RewrittenCheckpointTest}, because on a model that maps its weights
 * this kills the JVM (SIGBUS). Loads the model folder args[0] as the app would, runs a forward
 * pass, then rewrites model.safetensors in place the way Python's {@code save_file} does (the same
 * file truncated to 0 bytes, then written again, here with the bytes of another checkpoint,
 * args[1]) with a forward pass after each step. Prints one line per pass and exits 0 when all
 * three gave identical logits, 3 when they differ. Uses only API that predates in-memory loading,
 * so it also runs against the old code.
 */
public final class RewriteBetweenForwards {
    private RewriteBetweenForwards() {}

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        byte[] replacement = Files.readAllBytes(Path.of(args[1]));
        Path file = folder.resolve("model.safetensors");
        int[] ids = {3, 1, 4, 1, 5, 9, 2, 6};
        boolean same;
        try (ModelThread thread = new ModelThread()) {
            same = thread.call(root -> {
                try (Gpt2Model model = Gpt2Model.load(folder, root)) {
                    float[] before = FinalLogits.of(model, ids);
                    System.out.println("forward 1 (as loaded): " + before.length + " logits");
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.truncate(0); // what open(path, "wb") does first
                    }
                    float[] truncated = FinalLogits.of(model, ids);
                    System.out.println("forward 2 (file truncated to 0 bytes): identical=" + Arrays.equals(before, truncated));
                    Files.write(file, replacement); // the same file (inode), truncated and written again
                    float[] rewritten = FinalLogits.of(model, ids);
                    System.out.println("forward 3 (file rewritten with other weights): identical=" + Arrays.equals(before, rewritten));
                    return Arrays.equals(before, truncated) && Arrays.equals(before, rewritten);
                }
            });
        }
        System.out.flush();
        System.exit(same ? 0 : 3);
    }
}
