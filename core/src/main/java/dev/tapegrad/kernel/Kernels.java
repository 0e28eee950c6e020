package dev.tapegrad.kernel;

/**
 * The entry point through which ops run their heavy loops: matrix products, softmax
 * cross-entropy and the Adam update. Each method forwards to the implementation chosen once, when
 * this class is initialised; today that is the scalar reference in every family.
 *
 * <p>Elementwise loops that are never a bottleneck are called directly from
 * {@link ElementwiseKernels}.
 */
public final class Kernels {

  private Kernels() {}

  /** Returns a one-word name of the active backend, for logs and {@code --version}. */
  public static String backend() {
    return "scalar";
  }

  /** {@code C[m,n] += A[m,k] · B[k,n]}; see {@link MatMulKernels#matmulReference}. */
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
    MatMulKernels.matmulReference(a, b, c, m, k, n);
  }

  /** {@code C[m,n] += A[m,k] · B[n,k]ᵀ}; see {@link MatMulKernels#matmulTransBReference}. */
  public static void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n) {
    MatMulKernels.matmulTransBReference(a, b, c, m, k, n);
  }

  /** {@code C[m,n] += A[k,m]ᵀ · B[k,n]}; see {@link MatMulKernels#matmulTransAReference}. */
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n) {
    MatMulKernels.matmulTransAReference(a, b, c, m, k, n);
  }

  /** Softmax and summed cross-entropy; see {@link SoftmaxCrossEntropyKernels#forwardReference}. */
  public static double softmaxCrossEntropyForward(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
    return SoftmaxCrossEntropyKernels.forwardReference(logits, targets, probs, rows, vocab);
  }

  /** Softmax minus one-hot; see {@link SoftmaxCrossEntropyKernels#backwardReference}. */
  public static void softmaxCrossEntropyBackward(float[] probs, int[] targets, float[] dLogits, int rows, int vocab,
      float scale) {
    SoftmaxCrossEntropyKernels.backwardReference(probs, targets, dLogits, rows, vocab, scale);
  }

  /** One Adam step; see {@link AdamKernels#stepReference}. */
  public static void adamStep(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
      float eps, float weightDecay, long step) {
    AdamKernels.stepReference(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
  }
}
