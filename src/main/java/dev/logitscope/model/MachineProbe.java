package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Measures what the machine can do with the same engine the model uses: the float32
 * matrix-multiply rate on given shapes, and the memory read bandwidth. The benchmark divides
 * the model's figures by these, so "how fast" becomes "how close to the machine". Model thread.
 */
public final class MachineProbe {
    private MachineProbe() {}

    /** Best GFLOP/s of {@code [m, k] × [k, n]} over {@code repeats} runs (after one warm-up). */
    public static double matmulGflops(NDManager parent, int m, int k, int n, int repeats) {
        try (NDManager manager = parent.newSubManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(m, k), DataType.FLOAT32);
            NDArray b = manager.randomUniform(-1, 1, new Shape(k, n), DataType.FLOAT32);
            a.matMul(b).close();
            double best = Double.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // ops are synchronous on the CPU engine; this only makes the use explicit
                best = Math.min(best, System.nanoTime() - start);
                c.close();
            }
            return 2.0 * m * k * n / best; // flops per ns = GFLOP/s
        }
    }

    /**
     * Memory read bandwidth in GB/s: summing a float32 array much larger than the caches reads
     * every byte once. Median of {@code repeats} runs.
     */
    public static double memoryReadGbps(NDManager parent, long bytes, int repeats) {
        try (NDManager manager = parent.newSubManager()) {
            long count = bytes / 4;
            NDArray data = manager.ones(new Shape(count), DataType.FLOAT32);
            data.sum().close();
            double[] gbps = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                NDArray sum = data.sum();
                sum.getFloat();
                gbps[i] = (double) count * 4 / (System.nanoTime() - start);
                sum.close();
            }
            Arrays.sort(gbps);
            return gbps[repeats / 2];
        }
    }
}
