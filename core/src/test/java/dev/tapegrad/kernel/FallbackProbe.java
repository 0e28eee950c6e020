package dev.tapegrad.kernel;

import dev.tapegrad.tensor.Backend;
import java.util.Arrays;

/**
 * A main class that {@link KernelsTest} runs in a fresh JVM, with or without the vector module:
 * it calls every {@link Kernels} entry point, checks each result bitwise against the scalar
 * reference (which is what the facade must run when the module is absent or scalar is forced),
 * and prints {@link Backend#current()} on standard output. Any failure, including a
 * {@code NoClassDefFoundError} from a vector class loaded too eagerly, ends the JVM with an
 * uncaught exception and a non-zero status.
 */
public final class FallbackProbe {

  private FallbackProbe() {}

  /**
   * Runs the probe.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] b = {0.5f, -1, 2, 0.25f, -3, 1.5f};
    float[] expected = new float[4];
    float[] actual = new float[4];
    MatMulKernels.matmulReference(a, b, expected, 2, 3, 2);
    Kernels.matmul(a, b, actual, 2, 3, 2);
    check("matmul", expected, actual);
    expected = new float[4];
    actual = new float[4];
    MatMulKernels.matmulTransBReference(a, b, expected, 2, 3, 2);
    Kernels.matmulTransB(a, b, actual, 2, 3, 2);
    check("matmulTransB", expected, actual);
    expected = new float[9];
    actual = new float[9];
    MatMulKernels.matmulTransAReference(a, b, expected, 3, 2, 3);
    Kernels.matmulTransA(a, b, actual, 3, 2, 3);
    check("matmulTransA", expected, actual);
    expected = new float[2];
    actual = new float[2];
    MatVecKernels.matvecReference(a, 0, b, 0, expected, 0, 2, 3);
    Kernels.matvec(a, 0, b, 0, actual, 0, 2, 3);
    check("matvec", expected, actual);
    float[] probsExpected = new float[6];
    float[] probsActual = new float[6];
    int[] targets = {2, 0};
    double lossExpected = SoftmaxCrossEntropyKernels.forwardReference(a, targets, probsExpected, 2, 3);
    double lossActual = Kernels.softmaxCrossEntropyForward(a, targets, probsActual, 2, 3);
    check("softmax", probsExpected, probsActual);
    check("loss", new float[] {(float) lossExpected}, new float[] {(float) lossActual});
    float[] param = a.clone();
    float[] grad = b.clone();
    float[] paramExpected = a.clone();
    Kernels.adamStep(param, grad, new float[6], new float[6], 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1);
    AdamKernels.stepReference(paramExpected, grad, new float[6], new float[6], 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1);
    check("adam", paramExpected, param);
    // the elementwise ops on broadcast operands: a (2×3) and a row b (3)
    int[] aAt = {0, 3};
    int[] bAt = {0, 0};
    float[] row = {0.5f, -1, 2};
    expected = new float[6];
    actual = new float[6];
    BroadcastKernels.addForward(a, aAt, 1, row, bAt, 1, expected, 3);
    Kernels.addForward(a, aAt, 1, row, bAt, 1, actual, 3);
    check("add", expected, actual);
    BroadcastKernels.subForward(a, aAt, 1, row, bAt, 1, expected, 3);
    Kernels.subForward(a, aAt, 1, row, bAt, 1, actual, 3);
    check("sub", expected, actual);
    BroadcastKernels.mulForward(a, aAt, 1, row, bAt, 1, expected, 3);
    Kernels.mulForward(a, aAt, 1, row, bAt, 1, actual, 3);
    check("mul", expected, actual);
    BroadcastKernels.divForward(a, aAt, 1, row, bAt, 1, expected, 3);
    Kernels.divForward(a, aAt, 1, row, bAt, 1, actual, 3);
    check("div", expected, actual);
    expected = new float[3];
    actual = new float[3];
    BroadcastKernels.accumulate(-1f, b, expected, bAt, 1, 3);
    Kernels.accumulate(-1f, b, actual, bAt, 1, 3);
    check("accumulate", expected, actual);
    BroadcastKernels.accumulateProduct(b, a, aAt, 1, expected, bAt, 1, 3);
    Kernels.accumulateProduct(b, a, aAt, 1, actual, bAt, 1, 3);
    check("accumulateProduct", expected, actual);
    expected = new float[6];
    actual = new float[6];
    SoftmaxKernels.softmaxForward(a, expected, 2, 3);
    Kernels.softmaxForward(a, actual, 2, 3);
    check("softmax rows", expected, actual);
    SoftmaxKernels.logSoftmaxForward(a, expected, 2, 3);
    Kernels.logSoftmaxForward(a, actual, 2, 3);
    check("log-softmax rows", expected, actual);
    System.out.println(Backend.current());
  }

  private static void check(String what, float[] expected, float[] actual) {
    if (!Arrays.equals(expected, actual)) {
      throw new AssertionError(what + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
    }
  }
}
