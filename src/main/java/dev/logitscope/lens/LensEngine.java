package dev.logitscope.lens;

import ai.djl.ndarray.NDManager;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import dev.logitscope.tokenize.Token;
import dev.logitscope.tokenize.TokenizerException;
import dev.logitscope.tokenize.TokenizerFiles;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded model with its tokenizer and its thread: the one entry point through which the CLI
 * and the app run the lens. Thread-safe: every computation is queued on the model thread. Keeps
 * KV caches of the last few prompts, so re-analysing an edited prompt only runs the changed tail
 * — also when the app alternates between the same review under correct, flipped and no
 * demonstrations (one cache each).
 */
public final class LensEngine implements AutoCloseable {
    private final ModelThread thread;
    private final DecoderModel model;
    private final Gpt2Tokenizer tokenizer;
    private final ModelInfo info;
    /**
     * The lenses requests have asked for, loaded once each, most recently used last; model thread
     * only. The logit lens is always there; learned lenses beyond {@link #MAX_LEARNED_LENSES} give way.
     */
    private final java.util.LinkedHashMap<LensChoice, LoadedLens> lenses = new java.util.LinkedHashMap<>(8, 0.75f, true);
    /** Their names, readable from any thread (what reports and provenance say read the layers). */
    private final java.util.Map<LensChoice, String> lensNames = new java.util.concurrent.ConcurrentHashMap<>();
    /** A gpt2-xl tuned lens is ~490 MB of translators: a few side by side, not an unbounded set. */
    private static final int MAX_LEARNED_LENSES = 3;

    /** A lens ready to read: the reader and its transform (freed when it gives way). */
    private record LoadedLens(LogitLens reader, LensTransform transform) {}
    /** The model folder it was loaded from. */
    private final Path folder;
    /** At most this many prompts are cached: enough for the app's comparison (this prompt, correct, flipped, zero-shot). */
    private static final int MAX_CACHES = 4;
    /**
     * And the caches together hold at most this much (the most recent one is always kept): four
     * typical prompts of gpt2-xl (~250 MB each at 256 positions); a full-context gpt2-xl cache alone
     * is ~950 MB, so long prompts keep one.
     */
    private static final long MAX_CACHE_BYTES = 1L << 30;
    /** Most recently used first; model thread only. */
    private final Deque<KvCache> caches = new ArrayDeque<>();
    /** Positions the last run found in a cache (the prompt's shared prefix with it); for tests and diagnostics. */
    private volatile int lastCachedPrefix;
    /** Analyses hold the read side while they use the engine; close takes the write side. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /** Held by one analysis for its whole length (several engine calls); see {@link #lease()}. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private LensEngine(Path folder, ModelThread thread, DecoderModel model, Gpt2Tokenizer tokenizer, ModelInfo info) {
        this.folder = folder;
        this.thread = thread;
        this.model = model;
        this.tokenizer = tokenizer;
        this.info = info;
        lenses.put(LensChoice.LOGIT, new LoadedLens(new LogitLens(model, id -> topTokenText(tokenizer, id)),
                LensTransform.IDENTITY));
        lensNames.put(LensChoice.LOGIT, LensTransform.IDENTITY.name());
    }

    /**
     * The display form of a token the lens ranks. A model's vocabulary may be padded beyond its
     * tokenizer's (OPT: 50272 rows for 50265 ids); such a row has no text, and is shown as its id
     * rather than as an empty string.
     */
    static String topTokenText(Gpt2Tokenizer tokenizer, int id) {
        String shown = tokenizer.display(id);
        return shown.isEmpty() ? "⟨id:" + id + "⟩" : shown;
    }

    /**
     * Loads a model folder ({@code config.json}, its safetensors weights — one file or shards —
     * and its tokenizer: {@code tokenizer.json} or {@code vocab.json} + {@code merges.txt}) with the
     * family its config names.
     *
     * @param source how the user named the model, for display
     */
    public static LensEngine open(Path folder, String source) throws ModelException {
        ModelFolder files = new ModelFolder(folder).requireFiles(true);
        long start = System.nanoTime();
        ModelThread thread;
        try {
            thread = new ModelThread();
        } catch (IllegalStateException e) {
            throw new ModelException(e.getMessage() + ". The PyTorch native library ships in the pytorch-native-cpu"
                    + " jar; rebuild with mvn package if it is missing.", e);
        }
        Gpt2Tokenizer tokenizer = null;
        try {
            tokenizer = Gpt2Tokenizer.open(new TokenizerFiles(files.tokenizer(), files.vocab(), files.merges(),
                    files.tokenizerConfig(), files.specialTokensMap(), files.addedTokens()));
            DecoderModel model = thread.call(root -> ModelFamilies.load(files, root));
            long millis = (System.nanoTime() - start) / 1_000_000;
            ModelInfo info = new ModelInfo(source, model.shape(), model.weightBytes(), millis, model.readoutDescription());
            return new LensEngine(folder, thread, model, tokenizer, info);
        } catch (TokenizerException e) {
            thread.close();
            throw new ModelException(e.getMessage(), e);
        } catch (ModelException | RuntimeException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            thread.close();
            throw e;
        } catch (Exception e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            thread.close();
            throw new ModelException("Cannot load the model in " + folder + ": " + e.getMessage(), e);
        }
    }

    public ModelInfo info() {
        return info;
    }

    /** The model folder the weights and tokenizer were read from. */
    public Path folder() {
        return folder;
    }

    /**
     * How users know {@code choice}: "logit lens", "tuned lens (PATH)", "affine lens (least squares)
     * (PATH)" or "classifier-head lens". A lens not yet loaded is named by what was asked for.
     */
    public String lensName(LensChoice choice) {
        String name = lensNames.get(choice);
        if (name != null) {
            return name;
        }
        return switch (choice.kind()) {
            case LOGIT -> LensTransform.IDENTITY.name();
            case CLASSIFIER -> ClassifierHead.NAME;
            case FOLDER -> "lens (" + choice.folder() + ")";
        };
    }

    /**
     * Loads {@code choice} now, so a wrong lens fails before any work: a tuned lens in {@code
     * config.json} + {@code params.pt} (the tuned-lens project's layout), the affine lens {@code
     * fit-lens} wrote (told apart by config.json's {@code kind}), or the classifier head. A lens
     * made for another model, or the classifier lens of a model without a {@code score} head, is
     * refused. Requests load their lens on first use anyway; this only moves the failure earlier.
     *
     * @return the lens's name
     */
    public String prepareLens(LensChoice choice) throws ModelException {
        try (Lease lease = lease()) {
            thread.call(root -> lensFor(choice, root));
            return lensName(choice);
        } catch (ModelException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelException("The model failed: " + e.getMessage(), e);
        }
    }

    /** The loaded lens for {@code choice}, loading it first; model thread. */
    private LogitLens lensFor(LensChoice choice, NDManager root) throws ModelException {
        LoadedLens loaded = lenses.get(choice);
        if (loaded == null) {
            loaded = load(choice, root);
            lenses.put(choice, loaded);
            lensNames.put(choice, loaded.transform().name());
            evictLearnedLenses();
        }
        return loaded.reader();
    }

    private LoadedLens load(LensChoice choice, NDManager root) throws ModelException {
        if (choice.isClassifier()) {
            var classes = model.classLabels().orElseThrow(() -> new ModelException(info.source()
                    + " has no classification head (score.weight), so there is no classifier-head lens to read;"
                    + " use the logit lens, or load a fine-tuned classifier."));
            return new LoadedLens(new LogitLens(model, classes.names()::get, ClassifierHead.INSTANCE),
                    ClassifierHead.INSTANCE);
        }
        Path lensDir = choice.folder();
        boolean affine = AffineLensFolder.holdsOne(lensDir); // dispatch by config.json's kind
        TunedLensFile file = affine ? AffineLensFolder.read(lensDir, info.shape(), info.source())
                : TunedLensFile.read(lensDir, info.shape(), info.source());
        String recorded = affine ? null : TunedLensFile.unembedHash(lensDir);
        if (recorded != null && model.unembedding().isPresent()) {
            checkUnembedding(lensDir, recorded, UnembedHash.of(model.unembedding().get(), root));
        }
        TunedLens transform = affine ? new TunedLens(file, root, AffineLensFolder.name(lensDir) + " (" + lensDir + ")")
                : new TunedLens(file, root);
        return new LoadedLens(new LogitLens(model, id -> topTokenText(tokenizer, id), transform), transform);
    }

    /** Frees the least recently used learned lenses beyond {@link #MAX_LEARNED_LENSES}; model thread. */
    private void evictLearnedLenses() {
        List<LensChoice> learned = lenses.keySet().stream().filter(c -> c.kind() == LensChoice.Kind.FOLDER).toList();
        for (int i = 0; i < learned.size() - MAX_LEARNED_LENSES; i++) {
            close(lenses.remove(learned.get(i)).transform());
            lensNames.remove(learned.get(i));
        }
    }

    /**
     * A lens records the hash of the unembedding it was trained through ({@code unembed_hash}); one
     * trained on another model or revision reads this model's layers wrongly, however well its shapes fit.
     * (tuned-lens itself only warns; a wrong lens silently gives wrong layers, so it is refused here.)
     */
    private void checkUnembedding(Path lensDir, String recorded, String actual) throws ModelException {
        if (!recorded.equalsIgnoreCase(actual)) {
            throw new ModelException("The tuned lens in " + lensDir + " was trained through another unembedding than "
                    + info.source() + "'s: its config.json records unembed_hash " + recorded + ", this model's is "
                    + actual + ". It was made for another model or revision; use the lens made for this one, or"
                    + " --lens logit.");
        }
    }

    /**
     * Fits an affine lens by least squares on {@code data} ({@link AffineLensFitter}), telling
     * {@code listener} the progress (on the model thread). Stops with
     * {@link dev.logitscope.model.RunCancelledException} when the calling thread's
     * {@link Cancellation#current()} is requested. The lens in use and the cached prompts are untouched.
     */
    public AffineLensFit fitAffineLens(FitData data, double ridge, java.util.function.Consumer<FitProgress> listener)
            throws ModelException {
        return fitAffineLens(data, ridge, KlDescentSettings.NONE, listener);
    }

    /** As {@link #fitAffineLens(FitData, double, java.util.function.Consumer)}, then refined by {@code refine} ({@link KlDescent}). */
    public AffineLensFit fitAffineLens(FitData data, double ridge, KlDescentSettings refine,
            java.util.function.Consumer<FitProgress> listener) throws ModelException {
        Cancellation cancellation = Cancellation.current(); // the caller's thread, read before the hand-over
        try (Lease lease = lease()) {
            return thread.call(root -> new AffineLensFitter(model).fit(data, ridge, refine, root, cancellation, listener));
        } catch (ModelException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelException("The model failed: " + e.getMessage(), e);
        }
    }

    /** Frees a learned lens's arrays; model thread. */
    private static void close(LensTransform transform) {
        if (transform instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // freeing native memory is best effort
            }
        }
    }

    public CheckpointWatch checkpoint() {
        return model.checkpoint();
    }

    /**
     * Keeps the engine open until the lease is closed: {@link #close()} waits for it. An analysis
     * that makes several calls (and uses the tokenizer directly) takes one, so switching models
     * never closes the engine under it.
     *
     * @throws ModelException when the engine is already closed
     */
    public Lease lease() throws ModelException {
        lifecycle.readLock().lock();
        if (closed) {
            lifecycle.readLock().unlock();
            throw new ModelException("The model " + info.source() + " was closed; load a model to continue.");
        }
        return lifecycle.readLock()::unlock;
    }

    public Gpt2Tokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The tokens the model reads for the prompt {@code text} — the BOS its tokenizer config asks
     * for (OPT's {@code </s>}, marked {@link Token#special()}), then the text's — checked against
     * the model's context length.
     */
    public List<Token> tokenize(String text) throws ModelException {
        try (Lease lease = lease()) {
            return tokenizeLeased(text);
        }
    }

    private List<Token> tokenizeLeased(String text) throws ModelException {
        if (text.isEmpty()) {
            throw new ModelException("The prompt is empty: type a review first.");
        }
        List<Token> tokens = tokenizer.encodePrompt(text);
        int max = info.shape().nPositions();
        if (tokens.size() > max) {
            throw new ModelException("The prompt is " + tokens.size() + " tokens long but " + info.source()
                    + " reads at most " + max + ". Shorten the review or use fewer demonstrations.");
        }
        return tokens;
    }

    /** Tracked words tokenised with the model's tokenizer (give each its leading space), never with a BOS. */
    public List<TrackedWord> track(List<String> words) throws ModelException {
        List<TrackedWord> tracked = new ArrayList<>();
        for (String word : words) {
            int[] ids = tokenizer.encodeIds(word);
            if (ids.length == 0) {
                throw new ModelException("The label word '" + word + "' is empty; give a word such as \" positive\".");
            }
            tracked.add(new TrackedWord(word, ids));
        }
        return tracked;
    }

    /** Runs the plain logit lens on {@code prompt}. */
    public LensReport inspect(String prompt, List<TrackedWord> tracked, int topK, LensRequest.Positions positions,
            boolean midBlock) throws ModelException {
        return inspect(prompt, tracked, topK, positions, midBlock, LensChoice.LOGIT);
    }

    /** Runs {@code lens} on {@code prompt}. Blocks until the model thread has done it. */
    public LensReport inspect(String prompt, List<TrackedWord> tracked, int topK, LensRequest.Positions positions,
            boolean midBlock, LensChoice lens) throws ModelException {
        List<Token> tokens = tokenize(prompt);
        int[] ids = tokens.stream().mapToInt(Token::id).toArray();
        int[] trackedIds = tracked.stream().mapToInt(TrackedWord::firstTokenId).toArray();
        LensRequest request = new LensRequest(trackedIds, topK, positions, midBlock, false, lens);
        List<LayerReading> layers = run(ids, request);
        return new LensReport(info, prompt, tokens, tracked, layers, lensName(lens));
    }

    /** The classes of the model's classification head, empty when it has none. */
    public java.util.Optional<dev.logitscope.model.ClassLabels> classLabels() {
        return model.classLabels();
    }

    /**
     * The classifier-head lens ({@link ClassifierLens}) of every layer at the last token of
     * {@code text}, read as it is (no template), as the classifier was trained.
     */
    public List<ClassReading> classifierLens(String text) throws ModelException {
        List<Token> tokens = tokenize(text);
        int[] ids = tokens.stream().mapToInt(Token::id).toArray();
        try (Lease lease = lease()) {
            return thread.call(root -> new ClassifierLens(model).read(ids, root));
        } catch (ModelException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelException("The model failed: " + e.getMessage(), e);
        }
    }

    /** Runs the lens on token ids (the prompt already tokenised and checked). */
    public List<LayerReading> run(int[] ids, LensRequest request) throws ModelException {
        return withCache(ids, (cache, root, cancellation) ->
                lensFor(request.lens(), root).read(ids, cache, request, root, cancellation));
    }

    /** Lens work that uses the engine's KV cache, on the model thread. */
    @FunctionalInterface
    private interface CacheWork<T> {
        T run(KvCache cache, NDManager root, Cancellation cancellation) throws ModelException;
    }

    /**
     * Runs {@code work} on the model thread with the cache that shares the longest prefix with
     * {@code ids}; a failure clears that cache, which it may have left half-updated. The work stops
     * when the calling thread's {@link Cancellation#current()} is requested: then the cache is
     * kept, as a cancelled pass leaves it holding only positions it computed in full.
     */
    private <T> T withCache(int[] ids, CacheWork<T> work) throws ModelException {
        Cancellation cancellation = Cancellation.current(); // the caller's thread, read before the hand-over
        try (Lease lease = lease()) {
            return thread.call(root -> {
                cancellation.check(); // superseded while queued: do not even start
                KvCache cache = cacheFor(ids);
                try {
                    return work.run(cache, root, cancellation);
                } catch (RunCancelledException e) {
                    throw e;
                } catch (ModelException | RuntimeException e) {
                    cache.clear();
                    throw e;
                }
            });
        } catch (ModelException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelException("The model failed: " + e.getMessage(), e);
        }
    }

    /**
     * The lens at the last position of each prompt (token ids, each already checked against the
     * context), in the order given. Prompts that share a prefix — the demonstrations of a batch
     * evaluation — run it once and their continuations side by side, a few at a time; the
     * numbers are those of {@link #run} on each prompt, to float32 precision.
     */
    public List<List<LayerReading>> runAll(List<int[]> prompts, int[] trackedIds, int topK) throws ModelException {
        return runAll(prompts, trackedIds, topK, LensChoice.LOGIT);
    }

    /** As {@link #runAll(List, int[], int)}, read through {@code lens}. */
    public List<List<LayerReading>> runAll(List<int[]> prompts, int[] trackedIds, int topK, LensChoice lens)
            throws ModelException {
        LensRequest single = LensRequest.lastPosition(trackedIds, topK).withLens(lens);
        int shared = sharedPrefix(prompts);
        if (prompts.size() < 2 || shared == 0) {
            List<List<LayerReading>> out = new ArrayList<>();
            for (int[] ids : prompts) {
                out.add(run(ids, single));
            }
            return out;
        }
        int maxBranches = Math.max(1, MAX_ROWS_READ_AT_ONCE / (info.shape().nLayer() + 1));
        int room = info.shape().nPositions() - shared; // the continuations sit side by side after the prefix
        int[] prefix = Arrays.copyOf(prompts.get(0), shared);
        List<List<LayerReading>> out = new ArrayList<>();
        int from = 0;
        while (from < prompts.size()) {
            int to = from;
            int tokens = 0;
            while (to < prompts.size() && to - from < maxBranches
                    && tokens + prompts.get(to).length - shared <= room) {
                tokens += prompts.get(to).length - shared;
                to++;
            }
            int[][] branches = new int[to - from][];
            for (int i = from; i < to; i++) {
                branches[i - from] = Arrays.copyOfRange(prompts.get(i), shared, prompts.get(i).length);
            }
            out.addAll(runBranches(prefix, branches, trackedIds, topK, lens));
            from = to;
        }
        return out;
    }

    /** Rows (layers × prompts) read through one unembedding product in {@link #runAll}: bounds its logits to ~50 MB. */
    private static final int MAX_ROWS_READ_AT_ONCE = 256;

    /** Length of the prefix all prompts share, leaving each at least one token of its own. */
    private static int sharedPrefix(List<int[]> prompts) {
        if (prompts.isEmpty()) {
            return 0;
        }
        int[] first = prompts.get(0);
        int shared = first.length;
        for (int[] ids : prompts) {
            shared = Math.min(shared, ids.length - 1);
            int i = 0;
            while (i < shared && ids[i] == first[i]) {
                i++;
            }
            shared = i;
        }
        return Math.max(shared, 0);
    }

    private List<List<LayerReading>> runBranches(int[] prefix, int[][] branches, int[] trackedIds, int topK,
            LensChoice lens) throws ModelException {
        return withCache(prefix, (cache, root, cancellation) ->
                lensFor(lens, root).readBranches(prefix, branches, cache, trackedIds, topK, root, cancellation));
    }

    /**
     * The cache to run {@code ids} with, now the most recent: the one sharing the longest prefix
     * with it; when that is less than half the prompt (another family of prompts, such as the same
     * review under other demonstrations), a new one while there is room, else the least recently
     * used. Caches beyond {@link #MAX_CACHE_BYTES} are freed, oldest first. Model thread.
     */
    private KvCache cacheFor(int[] ids) {
        KvCache best = null;
        int shared = -1;
        for (KvCache c : caches) {
            int n = c.commonPrefix(ids);
            if (n > shared) {
                best = c;
                shared = n;
            }
        }
        if (best == null || shared < ids.length / 2) { // another family of prompts
            if (caches.size() < MAX_CACHES) {
                best = model.newCache();
                shared = 0;
            } else {
                best = caches.peekLast(); // the family used least recently gives way
                shared = best.commonPrefix(ids);
            }
        }
        caches.remove(best);
        caches.addFirst(best);
        while (caches.size() > MAX_CACHES || (caches.size() > 1 && cachedBytes() > MAX_CACHE_BYTES)) {
            caches.removeLast().close();
        }
        lastCachedPrefix = shared;
        return best;
    }

    private long cachedBytes() {
        return caches.stream().mapToLong(KvCache::bytes).sum();
    }

    /** Frees every cached prompt, so the next run computes from scratch (to measure what reuse is worth). */
    public void forgetCachedPrompts() throws ModelException {
        try (Lease lease = lease()) {
            thread.call(root -> {
                closeCaches();
                return null;
            });
        } catch (ModelException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ModelException("The model failed: " + e.getMessage(), e);
        }
    }

    /** Model thread. */
    private void closeCaches() {
        caches.forEach(KvCache::close);
        caches.clear();
    }

    /** How many prompts are cached (tests). */
    int cachedPrompts() throws ModelException {
        try {
            return thread.call(root -> caches.size());
        } catch (Exception e) {
            throw new ModelException(e.getMessage(), e);
        }
    }

    /** Positions the last run found already computed in a cache (tests and diagnostics). */
    int lastCachedPrefix() {
        return lastCachedPrefix;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void release() {
        try {
            thread.call(root -> {
                closeCaches();
                lenses.values().forEach(l -> close(l.transform()));
                lenses.clear();
                model.close();
                return null;
            });
        } catch (Exception e) {
            // closing is best effort
        }
        tokenizer.close();
        thread.close();
    }
}
