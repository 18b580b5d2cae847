package dev.logitscope.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.logitscope.lens.AffineLensFit;
import dev.logitscope.lens.AffineLensFolder;
import dev.logitscope.lens.FitProgress;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A lens fit from a request to a saved lens folder, as {@code fit-lens} and the app's dialog run
 * it: {@link #stage} checks the inputs and makes a hidden staging folder beside the target (before
 * any model work, so a folder that cannot be written fails at once); {@link #read} turns the data
 * into token documents with the engine's tokenizer; {@link #fit} fits (and refines) the lens on
 * the engine, writes it into the staging folder and moves that into place in one step. A stop
 * ({@link dev.logitscope.model.RunCancelledException}, from the calling thread's cancellation) or a
 * failure leaves nothing: the caller ends with {@link #discard} of the staging folder.
 */
public final class LensFitJob {
    private LensFitJob() {}

    /** What a fit gave: the lens and the folder it is in now. */
    public record Outcome(AffineLensFit fit, Path folder) {}

    /** Checks {@code request} and makes the staging folder beside its target; returns the staging folder. */
    public static Path stage(LensFitRequest request) {
        request.check();
        if (!Files.isRegularFile(request.data()) && !Files.isDirectory(request.data())) {
            throw LensFitText.noData(request.data());
        }
        Path target = request.out().toAbsolutePath().normalize();
        try {
            if (Files.exists(target) && !(Files.isDirectory(target) && isEmpty(target))) {
                throw new LensFitException(LensFitInput.OUT, w -> request.out() + " exists and is not an empty folder; choose"
                        + " another " + w.name(LensFitInput.OUT) + ".");
            }
        } catch (IOException e) {
            throw cannotWrite(target, e.getMessage());
        }
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        } catch (AccessDeniedException e) {
            throw cannotWrite(parent, "permission denied");
        } catch (FileSystemException e) {
            throw cannotWrite(parent, e.getReason());
        } catch (IOException e) {
            throw cannotWrite(parent, e.getMessage());
        }
    }

    private static LensFitException cannotWrite(Path folder, String why) {
        return new LensFitException(LensFitInput.OUT, w -> "Cannot write to " + folder + (why == null ? "" : " (" + why + ")")
                + "; choose another " + w.name(LensFitInput.OUT) + ".");
    }

    /** The request's data as token documents for {@code engine}'s tokenizer and context, split into fit and held out. */
    public static LensFitText read(LensEngine engine, LensFitRequest request) {
        return LensFitText.read(request.data(), engine.tokenizer(), engine.info().shape().nPositions(), request.maxTokens(),
                request.heldOut());
    }

    /**
     * Fits the lens on {@code engine} (the caller's thread's cancellation stops it), writes it into
     * {@code staging} and moves that to the request's folder.
     *
     * @param model the model as config.json records it (its name and folder)
     */
    public static Outcome fit(LensEngine engine, ModelRef model, LensFitRequest request, LensFitText text, Path staging,
            Consumer<FitProgress> progress) throws ModelException {
        AffineLensFit fit = engine.fitAffineLens(text.data(), request.ridge(), request.refinement(), progress);
        Path target = request.out().toAbsolutePath().normalize();
        try {
            AffineLensFolder.write(staging, fit, records(model, request, text));
            try { // the staging folder was made private (0700); the lens is shared like any folder (0755)
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: its defaults apply
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LensFitException(LensFitInput.OUT, w -> "Cannot write " + request.out() + ": " + e.getMessage()
                    + "; choose another " + w.name(LensFitInput.OUT) + ".");
        }
        return new Outcome(fit, target);
    }

    /** config.json's record of where the lens came from: the model (hub revision or file hashes), the data, the program. */
    private static Map<String, JsonElement> records(ModelRef model, LensFitRequest request, LensFitText text)
            throws IOException {
        Path data = request.data();
        Map<String, JsonElement> records = new LinkedHashMap<>();
        records.put("model", Provenance.model(model, FileHashes.user()));
        JsonObject d = new JsonObject();
        d.addProperty("path", data.toAbsolutePath().normalize().toString());
        if (Files.isRegularFile(data)) {
            d.addProperty("sha256", FileHashes.hash(data));
        }
        d.addProperty("format", text.format());
        d.addProperty("documents", text.documents());
        d.addProperty("max_tokens", request.maxTokens());
        d.addProperty("stopped_at_max_tokens", text.truncated());
        d.addProperty("held_out_fraction", request.heldOut());
        d.addProperty("held_out_rule", "document k (from 0, in file order) is held out when floor((k+1)·f) > floor(k·f)");
        if (text.format().equals("text")) {
            d.addProperty("window_tokens", LensFitText.TEXT_WINDOW);
        }
        records.put("data", d);
        ProgramVersion program = ProgramVersion.current();
        JsonObject p = new JsonObject();
        p.addProperty("name", "logitscope");
        p.addProperty("version", program.version());
        p.addProperty("commit", program.commit());
        p.addProperty("dirty", program.dirty());
        records.put("program", p);
        return records;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Deletes the staging folder if it is still there (after a stop, a failure, or nothing at all after a move). */
    public static void discard(Path staging) {
        if (staging == null || !Files.exists(staging)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a hidden leftover beside the target, never the target itself
                }
            });
        } catch (IOException e) {
            // as above
        }
    }
}
