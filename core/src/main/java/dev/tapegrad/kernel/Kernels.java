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

  /** A matrix-vector product smaller than this many multiply-adds is not split over a team. */
  static final long MIN_TEAM_MACS = 1 << 16;

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
   * A weight that many products read as their right-hand operand, laid out once: B given as the
   * n rows of k values of {@link #matmulTransB(float[], float[], float[], int, int, int)}, copied
   * by {@link #pack} into the SIMD tile's panels (on the scalar path, as they are). A recurrent
   * layer packs W_hh once per chunk and reads it at every step. The copy is a snapshot: after the
   * weight changes, pack it again.
   */
  public static final class PackedRows {
    private float[] values;
    private int k;
    private int n;

    /** Creates an empty operand; {@link #pack} fills it, reusing its buffer when the size allows. */
    public PackedRows() {}

    /**
     * Copies B, given as rows, into this operand.
     *
     * @param b B's rows, n×k
     * @param k the reduction length (row length)
     * @param n the number of rows, C's columns
     * @return this
     */
    public PackedRows pack(float[] b, int k, int n) {
      Objects.checkFromIndexSize(0, Math.multiplyExact(k, n), b.length);
      int size = SIMD ? MatMulSimd.packedSize(k, n) : k * n;
      values = values != null && values.length == size ? values : new float[size];
      if (SIMD) {
        MatMulSimd.packTransB(b, k, n, values);
      } else {
        System.arraycopy(b, 0, values, 0, size);
      }
      this.k = k;
      this.n = n;
      return this;
    }

    /**
     * Copies B, given as W's transpose, into this operand: B(p, j) = W[p, j] for a k×n W, so that
     * the products give {@code C += A · W} (W's rows are B's columns p). On the scalar path W is
     * transposed into rows; on the SIMD path it goes straight into the panels, with no transpose.
     *
     * @param w W, k×n, row-major
     * @param k the reduction length, W's rows
     * @param n W's columns, C's columns
     * @return this
     */
    public PackedRows packTransposed(float[] w, int k, int n) {
      Objects.checkFromIndexSize(0, Math.multiplyExact(k, n), w.length);
      int size = SIMD ? MatMulSimd.packedSize(k, n) : k * n;
      values = values != null && values.length == size ? values : new float[size];
      if (SIMD) {
        MatMulSimd.packRowMajorB(w, k, n, values);
      } else {
        ElementwiseKernels.transpose(w, k, n, values);
      }
      this.k = k;
      this.n = n;
      return this;
    }
  }

  /**
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ} with B packed; bitwise the same as
   * {@link #matmulTransB(float[], float[], float[], int, int, int)} on the rows B was packed from.
   * See {@link MatMulParallel#productPackedParallel}.
   *
   * @param a A, m×k
   * @param b B, packed
   * @param c C, m×n, accumulated into; must not be {@code a}
   * @param m rows of A and C
   */
  public static void matmulTransB(float[] a, PackedRows b, float[] c, int m) {
    if (SIMD) {
      MatMulParallel.productPackedParallel(a, b.values, c, m, b.k, b.n, threads());
    } else {
      MatMulKernels.matmulTransBReference(a, b.values, c, m, b.k, b.n);
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
   * {@link #matvec}, split by rows between the caller and {@code team}'s helper when the product is
   * large enough to share ({@value #MIN_TEAM_MACS} multiply-adds or more) and the SIMD kernels run;
   * bitwise the same as {@link #matvec}, since every row is computed the same way whichever thread
   * takes it.
   *
   * @param team the caller's team, kept for the whole loop of steps
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
  public static void matvec(Team team, float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows,
      int cols) {
    if (!SIMD || (long) rows * cols < MIN_TEAM_MACS || rows < 8) {
      matvec(w, wOff, x, xOff, y, yOff, rows, cols);
      return;
    }
    Objects.checkFromIndexSize(wOff, Math.multiplyExact(rows, cols), w.length);
    Objects.checkFromIndexSize(xOff, cols, x.length);
    Objects.checkFromIndexSize(yOff, rows, y.length);
    // two halves, the first a multiple of four rows (the kernel's group)
    int half = rows / 8 * 4;
    team.run(2, part -> {
      int from = part == 0 ? 0 : half;
      int to = part == 0 ? half : rows;
      MatVecSimd.matvecSimd(w, wOff + from * cols, x, xOff, y, yOff + from, to - from, cols);
    });
  }

  /**
   * {@code y[cols] += W[rows, cols]ᵀ · x[rows]}, the product with W's transpose without
   * transposing W, split by columns between the caller and {@code team}'s helper when large enough
   * (as {@link #matvec(Team, float[], int, float[], int, float[], int, int, int)}); see
   * {@link MatVecKernels#matvecTransposedReference}, {@link MatVecSimd#matvecTransposedSimd}.
   *
   * @param team the caller's team, kept for the whole loop of steps
   * @param w W, rows×cols, row-major
   * @param x x, rows
   * @param y y, cols, accumulated into; must not overlap W or x
   * @param rows rows of W, length of x
   * @param cols columns of W, length of y
   * @throws IndexOutOfBoundsException if an array is too short
   */
  public static void matvecTransposed(Team team, float[] w, float[] x, float[] y, int rows, int cols) {
    Objects.checkFromIndexSize(0, Math.multiplyExact(rows, cols), w.length);
    Objects.checkFromIndexSize(0, rows, x.length);
    Objects.checkFromIndexSize(0, cols, y.length);
    if (!SIMD) {
      MatVecKernels.matvecTransposedReference(w, 0, x, 0, y, 0, rows, cols);
      return;
    }
    // two halves of the columns, the first a whole number of the kernel's column blocks
    int block = MatVecSimd.COLUMN_VECTORS * MatVecSimd.LANES;
    int half = (long) rows * cols < MIN_TEAM_MACS ? cols : Math.min(cols, (cols / 2 + block - 1) / block * block);
    team.run(half == cols ? 1 : 2, part -> {
      int from = part == 0 ? 0 : half;
      int to = part == 0 ? half : cols;
      MatVecSimd.matvecTransposedSimd(w, from, cols, x, 0, y, from, rows, to - from);
    });
  }

  /**
   * {@code Σ_i x[i]²}; see {@link ElementwiseKernels#sumOfSquares},
   * {@link MatVecSimd#sumOfSquaresSimd}.
   *
   * @param x the values
   * @return the sum of their squares, in double
   */
  public static double sumOfSquares(float[] x) {
    return SIMD ? MatVecSimd.sumOfSquaresSimd(x) : ElementwiseKernels.sumOfSquares(x);
  }

  /**
   * The GRU's gate forward for the row {@code s} points at, on the row's whole vectors:
   * {@link GateSimd#gruForward} on the SIMD path; nothing on the scalar path, where
   * {@code CellKind}'s reference does it all.
   *
   * @param s the layer's buffers, at one row
   * @return the number of hidden units done, from 0; the caller does the rest
   */
  public static int gruForward(RecurrentBuffers s) {
    return SIMD ? GateSimd.gruForward(s) : 0;
  }

  /**
   * The GRU's gate backward for the row {@code s} points at, on the row's whole vectors:
   * {@link GateSimd#gruBackward} on the SIMD path; nothing on the scalar path, where
   * {@code CellKind}'s reference does it all.
   *
   * @param s the layer's buffers, at one row
   * @return the number of hidden units done, from 0; the caller does the rest
   */
  public static int gruBackward(RecurrentBuffers s) {
    return SIMD ? GateSimd.gruBackward(s) : 0;
  }

  /**
   * The LSTM's gate forward for the row {@code s} points at, on the row's whole vectors:
   * {@link GateSimd#lstmForward} on the SIMD path; nothing on the scalar path, where
   * {@code CellKind}'s reference does it all.
   *
   * @param s the layer's buffers, at one row
   * @return the number of hidden units done, from 0; the caller does the rest
   */
  public static int lstmForward(RecurrentBuffers s) {
    return SIMD ? GateSimd.lstmForward(s) : 0;
  }

  /**
   * The LSTM's gate backward for the row {@code s} points at, on the row's whole vectors:
   * {@link GateSimd#lstmBackward} on the SIMD path; nothing on the scalar path, where
   * {@code CellKind}'s reference does it all.
   *
   * @param s the layer's buffers, at one row
   * @return the number of hidden units done, from 0; the caller does the rest
   */
  public static int lstmBackward(RecurrentBuffers s) {
    return SIMD ? GateSimd.lstmBackward(s) : 0;
  }

  /**
   * The RNN's gate forward for the row {@code s} points at, on the row's whole vectors:
   * {@link GateSimd#rnnForward} on the SIMD path; nothing on the scalar path, where
   * {@code CellKind}'s reference does it all.
   *
   * @param s the layer's buffers, at one row
   * @return the number of hidden units done, from 0; the caller does the rest
   */
  public static int rnnForward(RecurrentBuffers s) {
    return SIMD ? GateSimd.rnnForward(s) : 0;
  }

  /**
   * The RNN's gate backward for the row {@code s} points at, on the row's whole vectors:
   * {@link GateSimd#rnnBackward} on the SIMD path; nothing on the scalar path, where
   * {@code CellKind}'s reference does it all.
   *
   * @param s the layer's buffers, at one row
   * @return the number of hidden units done, from 0; the caller does the rest
   */
  public static int rnnBackward(RecurrentBuffers s) {
    return SIMD ? GateSimd.rnnBackward(s) : 0;
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

  /**
   * Measures the floating-point peak of the threads a matrix product started here may use
   * ({@link #threads()}): each runs {@link FmaSimd}'s register-only FMA loop (the scalar one on the
   * scalar path) for about {@code millis} milliseconds, after a short warm-up, and the rate is the
   * operations of all threads over the wall time.
   *
   * @param millis how long to measure, at least 1
   * @return the peak in GFLOP/s
   */
  public static double peakGflops(long millis) {
    int threads = threads();
    long iterations = 1 << 16;
    // warm up: vector code runs as slow plain Java until C2 has compiled it, so repeat a short
    // run until ten in a row have not beaten the fastest by a tenth (or ten seconds have passed)
    long best = Long.MAX_VALUE;
    int sinceBest = 0;
    long giveUp = System.nanoTime() + 10_000_000_000L;
    while (sinceBest < 10 && System.nanoTime() < giveUp) {
      long elapsed = timeFma(threads, iterations);
      sinceBest = elapsed < best - best / 10 ? 0 : sinceBest + 1;
      best = Math.min(best, elapsed);
    }
    // then one run of about the time asked for
    long rounds = Math.max(1, millis * 1_000_000L / Math.max(best, 1));
    long elapsed = timeFma(threads, iterations * rounds);
    double flops = 2.0 * FmaKernels.CHAINS * (SIMD ? MatMulSimd.LANES : 1) * threads * iterations * rounds;
    return flops / elapsed;
  }

  /** Runs the FMA loop on {@code threads} threads at once; returns the wall time in nanoseconds. */
  private static long timeFma(int threads, long iterations) {
    float[] sink = new float[threads];
    long start = System.nanoTime();
    Parallel.forEachBlock(threads, threads, 1, (block, t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        sink[t] = SIMD ? FmaSimd.peakSimd(iterations, 1f + t) : FmaKernels.peakReference(iterations, 1f + t);
      }
    });
    long elapsed = System.nanoTime() - start;
    if (Float.isNaN(sink[0])) {
      throw new AssertionError("the FMA loop gave NaN");
    }
    return elapsed;
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
