package dev.tapegrad.kernel;

/**
 * Which kernels run, decided once per JVM: the SIMD twins or the scalar references, and how many
 * threads a matrix product may use. Nothing numeric happens here; ops call the family doors
 * ({@link MatMulKernels}, {@link MatVecKernels}, {@link SoftmaxKernels}, …), and each door asks
 * {@link Vectors#ON}, which is {@link #isSimd()}.
 *
 * <p><b>Selection.</b> If the {@code jdk.incubator.vector} module is in the boot layer (the JVM
 * was started with {@code --add-modules jdk.incubator.vector}), the SIMD twins run, and matrix
 * products are split over threads by {@link MatMulParallel}. Otherwise the scalar references run
 * on the calling thread, and one line on standard error says how to enable the fast path. The
 * SIMD classes are not loaded on the scalar path.
 *
 * <p><b>System properties</b>, read once:
 *
 * <ul>
 *   <li>{@value #KERNELS_PROPERTY}: {@code auto} (the default) selects as above;
 *       {@code scalar} forces the scalar references (and prints nothing), for example to test
 *       them or to compare speed. Any other value is an error.
 *   <li>{@value #THREADS_PROPERTY}: the most threads a matrix product may use, an integer ≥ 1;
 *       no limit by default. Results do not depend on this value.
 * </ul>
 *
 * <p><b>Threads.</b> A matrix product runs on the {@link java.util.concurrent.ForkJoinPool} of the
 * thread that calls it, and uses as many threads as that pool offers ({@link #threads()}): inside a
 * pool's worker, the pool's parallelism; on any other thread, the common pool's parallelism plus
 * the calling thread itself (by default, one per core); in both cases at most
 * {@value #THREADS_PROPERTY}. So a program caps the threads of one computation, without any
 * global setting, by running it in a pool of its own:
 *
 * <pre>{@code
 * ForkJoinPool pool = new ForkJoinPool(2);
 * float loss = pool.submit(() -> trainStep()).get();   // its matrix products use at most 2 threads
 * }</pre>
 */
public final class Kernels {

  /** The system property that selects the kernels: {@code auto} (default) or {@code scalar}. */
  public static final String KERNELS_PROPERTY = "tapegrad.kernels";

  /** The system property that caps the threads of a matrix product: an integer ≥ 1. */
  public static final String THREADS_PROPERTY = "tapegrad.threads";

  /** The thread limit when {@value #THREADS_PROPERTY} is not set: none. */
  static final int NO_THREAD_LIMIT = Integer.MAX_VALUE;

  /** The incubator module that holds the Vector API. */
  static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** The line printed once when the module is missing and scalar kernels were not asked for. */
  static final String MISSING_MODULE_HINT = "tapegrad: using scalar kernels because " + VECTOR_MODULE
      + " is not available; run java with --add-modules " + VECTOR_MODULE + " for the SIMD kernels, or set -D"
      + KERNELS_PROPERTY + "=scalar to silence this line.";

  /**
   * What {@link #select} decided.
   *
   * @param simd whether the Vector API kernels run
   * @param threadLimit the most threads a matrix product may use, whatever pool it runs in
   *     ({@link #NO_THREAD_LIMIT} when the property is not set)
   * @param moduleMissing whether SIMD was wanted but the module is absent (then the hint is shown)
   */
  record Selection(boolean simd, int threadLimit, boolean moduleMissing) {}

  /** Whether {@value #VECTOR_MODULE} is in the boot layer (the JVM was started with it). */
  static final boolean VECTOR_MODULE_PRESENT = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();

  private static final Selection SELECTION = select(System.getProperty(KERNELS_PROPERTY),
      System.getProperty(THREADS_PROPERTY), VECTOR_MODULE_PRESENT);

  /** Whether the SIMD kernels run; a constant after initialisation, so branches on it fold. */
  private static final boolean SIMD = SELECTION.simd();

  /** The most threads a matrix product may use, whatever pool it runs in. */
  private static final int THREAD_LIMIT = SELECTION.threadLimit();

  static {
    // the first kernel call of the process lands here: the hint is printed at most once
    if (SELECTION.moduleMissing()) {
      System.err.println(MISSING_MODULE_HINT);
    }
  }

  private Kernels() {}

  /**
   * Decides the backend from the property values and the environment; no side effects.
   *
   * @param kernels the value of {@value #KERNELS_PROPERTY}, or {@code null}
   * @param threads the value of {@value #THREADS_PROPERTY}, or {@code null}
   * @param vectorModulePresent whether {@code jdk.incubator.vector} is in the boot layer
   * @return the selection
   * @throws IllegalArgumentException if a property has a value outside its documented range
   */
  static Selection select(String kernels, String threads, boolean vectorModulePresent) {
    boolean wantSimd;
    if (kernels == null || kernels.equals("auto")) {
      wantSimd = true;
    } else if (kernels.equals("scalar")) {
      wantSimd = false;
    } else {
      throw new IllegalArgumentException(
          "-D" + KERNELS_PROPERTY + " must be auto or scalar, got '" + kernels + "'");
    }
    int threadLimit = NO_THREAD_LIMIT;
    if (threads != null) {
      try {
        threadLimit = Integer.parseInt(threads.trim());
      } catch (NumberFormatException e) {
        threadLimit = 0;
      }
      if (threadLimit < 1) {
        throw new IllegalArgumentException(
            "-D" + THREADS_PROPERTY + " must be an integer of at least 1, got '" + threads + "'");
      }
    }
    return new Selection(wantSimd && vectorModulePresent, threadLimit, wantSimd && !vectorModulePresent);
  }

  /** Returns whether the Vector API kernels are active. */
  public static boolean isSimd() {
    return SIMD;
  }

  /** Returns the floats in one vector of the SIMD kernels, L, or 1 on the scalar path. */
  public static int floatsPerVector() {
    return SIMD ? Vectors.LANES : 1;
  }

  /** Returns the width of the SIMD kernels' vectors in bits, or 0 on the scalar path. */
  public static int vectorBitSize() {
    return SIMD ? Vectors.LANES * Float.SIZE : 0;
  }

  /**
   * Returns the most threads a matrix product started on the calling thread may use: the threads
   * its pool offers ({@link Parallel#callerThreads()}), at most {@value #THREADS_PROPERTY}; 1 on
   * the scalar path.
   */
  public static int threads() {
    return SIMD ? Math.min(THREAD_LIMIT, Parallel.callerThreads()) : 1;
  }
}
