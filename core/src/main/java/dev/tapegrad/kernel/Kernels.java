package dev.tapegrad.kernel;

import java.util.Objects;

/**
 * The entry point through which ops run their heavy loops: matrix products, the matrix-vector
 * product, softmax cross-entropy and the Adam update. Each method forwards to the implementation
 * chosen once, when this class is initialised.
 *
 * <p><b>Selection.</b> If the {@code jdk.incubator.vector} module is in the boot layer (the JVM
 * was started with {@code --add-modules jdk.incubator.vector}), the Vector API kernels
 * ({@link MatMulSimd}, {@link MatVecSimd}, {@link SoftmaxCrossEntropySimd}, {@link AdamSimd})
 * are used, and matrix products are split over threads by {@link MatMulParallel}. Otherwise the
 * scalar references run on the calling thread, and one line on standard error says how to
 * enable the fast path. The SIMD classes are not loaded on the scalar path.
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
 *
 * <p>Elementwise loops that are never a bottleneck are called directly from
 * {@link ElementwiseKernels}.
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

  private static final Selection SELECTION = select(System.getProperty(KERNELS_PROPERTY),
      System.getProperty(THREADS_PROPERTY), ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent());

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

  /** Returns the width of the SIMD kernels' vectors in bits, or 0 on the scalar path. */
  public static int vectorBitSize() {
    return SIMD ? MatMulSimd.SPECIES.vectorBitSize() : 0;
  }

  /** Returns the floats in one vector of the SIMD kernels, or 1 on the scalar path. */
  public static int floatsPerVector() {
    return SIMD ? MatMulSimd.LANES : 1;
  }

  /**
   * Returns the most threads a matrix product started on the calling thread may use: the threads
   * its pool offers ({@link Parallel#callerThreads()}), at most {@value #THREADS_PROPERTY}; 1 on
   * the scalar path.
   */
  public static int threads() {
    return SIMD ? Math.min(THREAD_LIMIT, Parallel.callerThreads()) : 1;
  }

  /**
   * {@code C[m,n] += A[m,k] · B[k,n]}; see {@link MatMulKernels#matmulReference},
   * {@link MatMulParallel#matmulParallel}.
   *
   * @param a A, m×k
   * @param b B, k×n
   * @param c C, m×n, accumulated into; must not be {@code a} or {@code b}
   * @param m rows of A and C
   * @param k columns of A, rows of B
   * @param n columns of B and C
   */
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
    if (SIMD) {
      MatMulParallel.matmulParallel(a, b, c, m, k, n, threads());
    } else {
      MatMulKernels.matmulReference(a, b, c, m, k, n);
    }
  }

  /**
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ}; see {@link MatMulKernels#matmulTransBReference},
   * {@link MatMulParallel#matmulTransBParallel}.
   *
   * @param a A, m×k
   * @param b B, n×k
   * @param c C, m×n, accumulated into; must not be {@code a} or {@code b}
   * @param m rows of A and C
   * @param k shared (reduction) length
   * @param n rows of B, columns of C
   */
  public static void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n) {
    if (SIMD) {
      MatMulParallel.matmulTransBParallel(a, b, c, m, k, n, threads());
    } else {
      MatMulKernels.matmulTransBReference(a, b, c, m, k, n);
    }
  }

  /**
   * {@code C[m,n] += A[k,m]ᵀ · B[k,n]}; see {@link MatMulKernels#matmulTransAReference},
   * {@link MatMulParallel#matmulTransAParallel}.
   *
   * @param a A, k×m
   * @param b B, k×n
   * @param c C, m×n, accumulated into; must not be {@code a} or {@code b}
   * @param m columns of A, rows of C
   * @param k rows of A and B (the reduction)
   * @param n columns of B and C
   */
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n) {
    if (SIMD) {
      MatMulParallel.matmulTransAParallel(a, b, c, m, k, n, threads());
    } else {
      MatMulKernels.matmulTransAReference(a, b, c, m, k, n);
    }
  }

  /**
   * {@code y[rows] += W[rows, cols] · x[cols]} on slices, on the calling thread (it is meant for
   * one recurrent step at batch 1, too short to share); see
   * {@link MatVecKernels#matvecReference}, {@link MatVecSimd#matvecSimd}.
   *
   * <p>Example, the hidden-side gates of a GRU step at batch 1 (W_hh is 3H×H, h is step t of a
   * sequence buffer):
   *
   * <pre>{@code
   * Kernels.matvec(weightHh, 0, hSeq, t * hidden, gates, 0, 3 * hidden, hidden);
   * }</pre>
   *
   * @param w W, rows×cols, row-major, from {@code wOff}
   * @param wOff index of W[0,0]
   * @param x x, cols, from {@code xOff}
   * @param xOff index of x[0]
   * @param y y, rows, from {@code yOff}, accumulated into; must not overlap W or x
   * @param yOff index of y[0]
   * @param rows rows of W, length of y
   * @param cols columns of W, length of x
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   */
  public static void matvec(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    Objects.checkFromIndexSize(wOff, Math.multiplyExact(rows, cols), w.length);
    Objects.checkFromIndexSize(xOff, cols, x.length);
    Objects.checkFromIndexSize(yOff, rows, y.length);
    if (SIMD) {
      MatVecSimd.matvecSimd(w, wOff, x, xOff, y, yOff, rows, cols);
    } else {
      MatVecKernels.matvecReference(w, wOff, x, xOff, y, yOff, rows, cols);
    }
  }

  /**
   * Softmax and summed cross-entropy; see {@link SoftmaxCrossEntropyKernels#forwardReference},
   * {@link SoftmaxCrossEntropySimd#forwardSimd}.
   *
   * @param logits the logits, rows×vocab
   * @param targets the target class of each row, in [0, vocab)
   * @param probs receives the softmax, rows×vocab
   * @param rows the number of rows
   * @param vocab the number of classes
   * @return the sum over rows of the loss, in double
   */
  public static double softmaxCrossEntropyForward(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
    if (SIMD) {
      return SoftmaxCrossEntropySimd.forwardSimd(logits, targets, probs, rows, vocab);
    }
    return SoftmaxCrossEntropyKernels.forwardReference(logits, targets, probs, rows, vocab);
  }

  /**
   * Softmax minus one-hot, bitwise the same on both paths; see
   * {@link SoftmaxCrossEntropyKernels#backwardReference},
   * {@link SoftmaxCrossEntropySimd#backwardSimd}.
   *
   * @param probs the saved softmax, rows×vocab
   * @param targets the target classes
   * @param dLogits accumulated into, rows×vocab
   * @param rows the number of rows
   * @param vocab the number of classes
   * @param scale dLoss for each row's term
   */
  public static void softmaxCrossEntropyBackward(float[] probs, int[] targets, float[] dLogits, int rows, int vocab,
      float scale) {
    if (SIMD) {
      SoftmaxCrossEntropySimd.backwardSimd(probs, targets, dLogits, rows, vocab, scale);
    } else {
      SoftmaxCrossEntropyKernels.backwardReference(probs, targets, dLogits, rows, vocab, scale);
    }
  }

  /**
   * One Adam step, bitwise the same on both paths; see {@link AdamKernels#stepReference},
   * {@link AdamSimd#stepSimd}.
   *
   * @param param the parameter, updated in place
   * @param grad its gradient
   * @param m the first moment, updated in place
   * @param v the second moment, updated in place
   * @param lr the learning rate
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps the denominator's floor
   * @param weightDecay decoupled weight decay (0 for plain Adam)
   * @param step the step number t, from 1
   */
  public static void adamStep(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
      float eps, float weightDecay, long step) {
    if (SIMD) {
      AdamSimd.stepSimd(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    } else {
      AdamKernels.stepReference(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }
  }

  // Elementwise ops on broadcast operands: each output element i reads a[a(i)] and b[b(i)], laid out
  // in runs as BroadcastKernels describes.

  /**
   * {@code out = a + b}, bitwise the same on both paths; see {@link BroadcastKernels#addForward}
   * (which documents the arguments), {@link BroadcastSimd#addForwardSimd}.
   */
  public static void addForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    if (SIMD) {
      BroadcastSimd.addForwardSimd(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    } else {
      BroadcastKernels.addForward(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    }
  }

  /**
   * {@code out = a − b}, bitwise the same on both paths; see {@link BroadcastKernels#subForward},
   * {@link BroadcastSimd#subForwardSimd}.
   */
  public static void subForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    if (SIMD) {
      BroadcastSimd.subForwardSimd(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    } else {
      BroadcastKernels.subForward(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    }
  }

  /**
   * {@code out = a ⊙ b}, bitwise the same on both paths; see {@link BroadcastKernels#mulForward},
   * {@link BroadcastSimd#mulForwardSimd}.
   */
  public static void mulForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    if (SIMD) {
      BroadcastSimd.mulForwardSimd(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    } else {
      BroadcastKernels.mulForward(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    }
  }

  /**
   * {@code out = a / b}, bitwise the same on both paths; see {@link BroadcastKernels#divForward},
   * {@link BroadcastSimd#divForwardSimd}.
   */
  public static void divForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    if (SIMD) {
      BroadcastSimd.divForwardSimd(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    } else {
      BroadcastKernels.divForward(a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
    }
  }

  /**
   * {@code dX[x(i)] += alpha · dOut[i]}; see {@link BroadcastKernels#accumulate},
   * {@link BroadcastSimd#accumulateSimd} (which sums a broadcast operand's gradient in another order).
   */
  public static void accumulate(float alpha, float[] dOut, float[] dX, int[] xOffsets, int xStep, int inner) {
    if (SIMD) {
      BroadcastSimd.accumulateSimd(alpha, dOut, dX, xOffsets, xStep, inner);
    } else {
      BroadcastKernels.accumulate(alpha, dOut, dX, xOffsets, xStep, inner);
    }
  }

  /**
   * {@code dX[x(i)] += dOut[i] · y[y(i)]}; see {@link BroadcastKernels#accumulateProduct},
   * {@link BroadcastSimd#accumulateProductSimd} (which sums a broadcast operand's gradient in another
   * order).
   */
  public static void accumulateProduct(float[] dOut, float[] y, int[] yOffsets, int yStep, float[] dX,
      int[] xOffsets, int xStep, int inner) {
    if (SIMD) {
      BroadcastSimd.accumulateProductSimd(dOut, y, yOffsets, yStep, dX, xOffsets, xStep, inner);
    } else {
      BroadcastKernels.accumulateProduct(dOut, y, yOffsets, yStep, dX, xOffsets, xStep, inner);
    }
  }

  /**
   * The softmax of every row of a rows×cols array; see {@link SoftmaxKernels#softmaxForward},
   * {@link SoftmaxSimd#softmaxForwardSimd} (float exponentials, within a few ulp of the reference).
   *
   * @param x the input, rows×cols
   * @param y receives the softmax, rows×cols
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void softmaxForward(float[] x, float[] y, int rows, int cols) {
    if (SIMD) {
      SoftmaxSimd.softmaxForwardSimd(x, y, rows, cols);
    } else {
      SoftmaxKernels.softmaxForward(x, y, rows, cols);
    }
  }

  /**
   * The log-softmax of every row of a rows×cols array; see {@link SoftmaxKernels#logSoftmaxForward},
   * {@link SoftmaxSimd#logSoftmaxForwardSimd} (float exponentials, within a few ulp of the reference).
   *
   * @param x the input, rows×cols
   * @param y receives the log-softmax, rows×cols
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void logSoftmaxForward(float[] x, float[] y, int rows, int cols) {
    if (SIMD) {
      SoftmaxSimd.logSoftmaxForwardSimd(x, y, rows, cols);
    } else {
      SoftmaxKernels.logSoftmaxForward(x, y, rows, cols);
    }
  }
}
