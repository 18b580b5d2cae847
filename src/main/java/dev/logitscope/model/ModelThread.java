package dev.logitscope.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that does all DJL work. Grad mode is thread-local in libtorch, so it is switched
 * off here once; every NDArray is created, used and closed on this thread.
 */
public final class ModelThread implements AutoCloseable {

    /** Work to run on the model thread, which may fail with a checked exception. */
    @FunctionalInterface
    public interface Work<T> {
        T run(NDManager root) throws Exception;
    }

    private final ExecutorService executor;
    private final NDManager root;
    /** This instance's worker: every ModelThread's thread has the same name, so compare identity. */
    private volatile Thread worker;

    public ModelThread() {
        configureEngineDefaults();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "logitscope-model");
            thread.setDaemon(true);
            worker = thread;
            return thread;
        });
        try {
            root = join(executor.submit(() -> {
                Engine engine = Engine.getEngine("PyTorch"); // loads the native library before any JNI call
                JniUtils.setGradMode(false);
                return engine.newBaseManager();
            }));
        } catch (IllegalStateException e) {
            executor.shutdown(); // no thread left behind when the engine cannot start
            throw e;
        }
    }

    /** Keeps DJL off the network: the natives come from jars on the classpath. */
    private static void configureEngineDefaults() {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors()));
        }
    }

    /** Runs {@code work} on the model thread and waits for it. */
    public <T> T call(Work<T> work) throws Exception {
        if (Thread.currentThread() == worker) {
            return work.run(root);
        }
        try {
            return executor.submit(() -> work.run(root)).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    /** Runs {@code work} on the model thread without waiting. */
    public <T> CompletableFuture<T> submit(Work<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                future.complete(work.run(root));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }

    private static <T> T join(java.util.concurrent.Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the model thread", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot start the PyTorch engine: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    /**
     * Frees everything the thread's manager holds, after the work already queued (a load that is
     * still running finishes first, then is freed). Waits up to 30 s; even when the wait is cut
     * short the queued close still runs, because the executor is shut down, not interrupted.
     */
    public void close() {
        if (executor.isShutdown()) {
            return;
        }
        executor.execute(root::close);
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
