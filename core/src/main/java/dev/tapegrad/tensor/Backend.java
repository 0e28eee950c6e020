package dev.tapegrad.tensor;

import dev.tapegrad.kernel.FmaKernels;
import dev.tapegrad.kernel.Kernels;

/**
 * Which kernels run the heavy loops, for logs, version strings and benchmark reports: the scalar
 * references, or the Vector API ones with their vector width; and how many threads a matrix
 * product may use.
 *
 * <p>The kernels are chosen once per JVM: SIMD when it was started with {@code --add-modules
 * jdk.incubator.vector}, scalar otherwise or with {@code -Dtapegrad.kernels=scalar}. The thread
 * count depends on the calling thread: a matrix product runs in the
 * {@link java.util.concurrent.ForkJoinPool} its caller runs in, so inside a pool's worker it uses
 * up to that pool's parallelism, and on any other thread the common pool's parallelism plus the
 * caller itself (by default, one thread per core); always at most {@code -Dtapegrad.threads=N}.
 * Results never depend on it: each output element is reduced by one thread in a fixed order.
 *
 * <p>A recurrent layer at batch 1 (a {@code RecurrentStepper} sampling, or a fused layer on one
 * sequence) is a loop of steps too short to fork and join, so on the SIMD path its per-step
 * matrix-vector products are shared between the calling thread and one thread of the same pool,
 * which spins for about 0.2 ms after each step waiting for the next and then goes back to the
 * pool: while such a loop runs, that pool thread is busy.
 *
 * <pre>{@code
 * System.out.println(Backend.current());   // "scalar", or for example "simd-256 (8 floats), 2 threads"
 * ForkJoinPool two = new ForkJoinPool(2);
 * Backend inside = two.submit(Backend::current).get();
 * assert !inside.simd() || inside.threads() <= 2;
 * two.shutdown();
 * }</pre>
 *
 * <p>To cap the threads of one computation, run it in a pool of its own, as above; nothing global
 * changes, so other computations in the same JVM keep their own pools.
 *
 * @param simd whether the Vector API kernels run
 * @param vectorBitSize the width of their vectors in bits, for example 256; 0 on the scalar path
 * @param floatsPerVector the floats in one vector, for example 8; 1 on the scalar path
 * @param threads the most threads a matrix product may use (1 on the scalar path, which runs
 *     everything on the calling thread)
 */
public record Backend(boolean simd, int vectorBitSize, int floatsPerVector, int threads) {

  /**
   * Checks that the values describe a backend.
   *
   * @param simd whether the Vector API kernels run
   * @param vectorBitSize their vectors' width in bits; 0 on the scalar path
   * @param floatsPerVector the floats in one vector; 1 on the scalar path
   * @param threads the most threads a matrix product may use; 1 on the scalar path
   * @throws IllegalArgumentException if {@code threads} is below 1, if a SIMD backend's vector
   *     is not a positive number of 32-bit floats, or if a scalar one has a vector or more than
   *     one thread
   */
  public Backend {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    if (simd && (floatsPerVector < 1 || vectorBitSize != floatsPerVector * Float.SIZE)) {
      throw new IllegalArgumentException("a SIMD vector of " + vectorBitSize + " bits cannot hold " + floatsPerVector
          + " floats");
    }
    if (!simd && (vectorBitSize != 0 || floatsPerVector != 1 || threads != 1)) {
      throw new IllegalArgumentException("the scalar backend has vectorBitSize 0, floatsPerVector 1 and 1 thread, got "
          + vectorBitSize + ", " + floatsPerVector + " and " + threads);
    }
  }

  /**
   * Returns the backend of this JVM, with the thread count of a matrix product started on the
   * calling thread.
   *
   * @return the backend
   */
  public static Backend current() {
    return new Backend(Kernels.isSimd(), Kernels.vectorBitSize(), Kernels.floatsPerVector(), Kernels.threads());
  }

  /**
   * Returns the short description: {@code "scalar"}, or for example
   * {@code "simd-512 (16 floats), 2 threads"}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    if (!simd) {
      return "scalar";
    }
    return "simd-" + vectorBitSize + " (" + floatsPerVector + " floats), " + threads
        + (threads == 1 ? " thread" : " threads");
  }

  /**
   * Measures the floating-point peak of this machine for the calling thread's backend: every
   * thread a matrix product may use runs a loop of independent fused multiply-adds on registers
   * (vectors on the SIMD path) for about {@code millis} milliseconds. A matrix product cannot beat
   * it, so the ratio of a product's rate to it says how close to the hardware the product runs.
   *
   * <pre>{@code
   * double peak = Backend.measurePeakGflops(500);   // for example about 400 on two AVX-512 cores
   * }</pre>
   *
   * @param millis how long to measure, at least 1
   * @return the peak in billions of floating-point operations per second
   * @throws IllegalArgumentException if {@code millis} is below 1
   */
  public static double measurePeakGflops(long millis) {
    if (millis < 1) {
      throw new IllegalArgumentException("millis must be at least 1, got " + millis);
    }
    return FmaKernels.peakGflops(millis);
  }
}
