package dev.tapegrad.kernel;

import dev.tapegrad.tensor.Backend;
import java.util.Arrays;

/**
 * A main class that {@link KernelsTest} runs in a fresh JVM without the vector module: it calls
 * every family's door, checks each result bitwise against the door's scalar reference (which is
 * what the door must run when the module is absent or scalar is forced), and prints
 * {@link Backend#current()} on standard output. Any failure, including a
 * {@code NoClassDefFoundError} from a vector class loaded by a door's scalar path, ends the JVM
 * with an uncaught exception and a non-zero status.
 */
public final class FallbackProbe {

  private FallbackProbe() {}

  /** A kernel call on fresh copies of the probe's arrays, writing into {@code out}. */
  @FunctionalInterface
  private interface Call {
    void run(float[] out);
  }

  /**
   * Runs the probe.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] b = {0.5f, -1, 2, 0.25f, -3, 1.5f};
    int[] targets = {2, 0};
    // matrix products and the packed operand
    check("matmul", 4, c -> MatMulKernels.matmulReference(a, b, c, 2, 3, 2),
        c -> MatMulKernels.matmul(a, b, c, 2, 3, 2));
    check("matmulTransB", 4, c -> MatMulKernels.matmulTransBReference(a, b, c, 2, 3, 2),
        c -> MatMulKernels.matmulTransB(a, b, c, 2, 3, 2));
    check("matmulTransA", 9, c -> MatMulKernels.matmulTransAReference(a, b, c, 3, 2, 3),
        c -> MatMulKernels.matmulTransA(a, b, c, 3, 2, 3));
    check("packed rows", 4, c -> MatMulKernels.matmulTransBReference(a, b, c, 2, 3, 2),
        c -> MatMulKernels.matmulTransB(a, new MatMulKernels.PackedRows().pack(b, 3, 2), c, 2));
    float[] bT = new float[6];
    ElementwiseKernels.transpose(b, 2, 3, bT);
    check("packed transposed", 4, c -> MatMulKernels.matmulTransBReference(a, b, c, 2, 3, 2),
        c -> MatMulKernels.matmulTransB(a, new MatMulKernels.PackedRows().packTransposed(bT, 3, 2), c, 2));
    // matrix-vector products, alone and with a team
    Team team = new Team();
    check("matvec", 2, y -> MatVecKernels.matvecReference(a, 0, b, 0, y, 0, 2, 3),
        y -> MatVecKernels.matvec(a, 0, b, 0, y, 0, 2, 3));
    check("matvec with a team", 2, y -> MatVecKernels.matvecReference(a, 0, b, 0, y, 0, 2, 3),
        y -> MatVecKernels.matvec(team, a, 0, b, 0, y, 0, 2, 3));
    check("matvec pair with a team", 2, y -> MatVecKernels.matvecReference(a, 0, b, 0, y, 0, 2, 3),
        y -> MatVecKernels.matvecPair(team, a, b, 0, y, 3, a, b, y, 0, 2));
    check("matvecTransposed", 3, y -> MatVecKernels.matvecTransposedReference(a, 0, b, 0, y, 0, 2, 3),
        y -> MatVecKernels.matvecTransposed(team, a, b, y, 2, 3));
    check("sumOfSquares", 1, s -> s[0] = (float) ElementwiseKernels.sumOfSquaresReference(a),
        s -> s[0] = (float) ElementwiseKernels.sumOfSquares(a));
    // softmax, softmax cross-entropy, Adam and the FMA loop
    check("softmax rows", 6, y -> SoftmaxKernels.softmaxForwardReference(a, y, 2, 3),
        y -> SoftmaxKernels.softmaxForward(a, y, 2, 3));
    check("log-softmax rows", 6, y -> SoftmaxKernels.logSoftmaxForwardReference(a, y, 2, 3),
        y -> SoftmaxKernels.logSoftmaxForward(a, y, 2, 3));
    check("loss", 7, p -> p[6] = (float) SoftmaxCrossEntropyKernels.forwardReference(a, targets, p, 2, 3),
        p -> p[6] = (float) SoftmaxCrossEntropyKernels.forward(a, targets, p, 2, 3));
    check("dLogits", 6, d -> SoftmaxCrossEntropyKernels.backwardReference(b, targets, d, 2, 3, 0.5f),
        d -> SoftmaxCrossEntropyKernels.backward(b, targets, d, 2, 3, 0.5f));
    check("adam", 6, p -> {
      System.arraycopy(a, 0, p, 0, 6);
      AdamKernels.stepReference(p, b, new float[6], new float[6], 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1);
    }, p -> {
      System.arraycopy(a, 0, p, 0, 6);
      AdamKernels.step(p, b, new float[6], new float[6], 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 1);
    });
    check("relu backward", 6, d -> ElementwiseKernels.reluBackwardReference(a, b, d),
        d -> ElementwiseKernels.reluBackward(a, b, d));
    check("fma", 1, s -> s[0] = FmaKernels.peakReference(100, 1f), s -> s[0] = FmaKernels.peak(100, 1f));
    // the elementwise ops on broadcast operands: a (2×3) and a row (3), and their backwards
    int[] aAt = {0, 3};
    int[] rowAt = {0, 0};
    float[] row = {0.5f, -1, 2};
    for (BroadcastKernels.Op op : BroadcastKernels.Op.values()) {
      check(op.toString(), 6, out -> BroadcastKernels.forwardReference(op, a, aAt, 1, row, rowAt, 1, out, 3),
          out -> BroadcastKernels.forward(op, a, aAt, 1, row, rowAt, 1, out, 3));
    }
    check("accumulate", 3, d -> BroadcastKernels.accumulateReference(-1f, b, d, rowAt, 1, 3),
        d -> BroadcastKernels.accumulate(-1f, b, d, rowAt, 1, 3));
    check("accumulateProduct", 3, d -> BroadcastKernels.accumulateProductReference(b, a, aAt, 1, d, rowAt, 1, 3),
        d -> BroadcastKernels.accumulateProduct(b, a, aAt, 1, d, rowAt, 1, 3));
    // the gate math of each cell, forward then backward, on one row of width 3
    checkGates("gru", 3, 4, 1, GateKernels::gruForwardReference, GateKernels::gruForward,
        GateKernels::gruBackwardReference, GateKernels::gruBackward);
    checkGates("lstm", 4, 5, 2, GateKernels::lstmForwardReference, GateKernels::lstmForward,
        GateKernels::lstmBackwardReference, GateKernels::lstmBackward);
    checkGates("rnn", 1, 0, 1, GateKernels::rnnForwardReference, GateKernels::rnnForward,
        GateKernels::rnnBackwardReference, GateKernels::rnnBackward);
    System.out.println(Backend.current());
  }

  /** A gate kernel's reference, from a hidden unit. */
  private interface GateReference {
    void run(RecurrentBuffers s, int from);
  }

  /** A gate kernel's door. */
  private interface GateDoor {
    void run(RecurrentBuffers s);
  }

  private static void checkGates(String cell, int gates, int savedBlocks, int states, GateReference forwardReference,
      GateDoor forward, GateReference backwardReference, GateDoor backward) {
    RecurrentBuffers expected = buffers(gates, savedBlocks, states);
    RecurrentBuffers actual = buffers(gates, savedBlocks, states);
    forwardReference.run(expected, 0);
    forward.run(actual);
    backwardReference.run(expected, 0);
    backward.run(actual);
    check(cell + " h", expected.h, actual.h);
    check(cell + " saved", expected.saved, actual.saved);
    check(cell + " dGi", expected.dGi, actual.dGi);
    check(cell + " dGh", expected.dGh, actual.dGh);
    check(cell + " dhPrev", expected.dhPrev, actual.dhPrev);
    if (states == 2) {
      check(cell + " c", expected.c, actual.c);
      check(cell + " dcPrev", expected.dcPrev, actual.dcPrev);
    }
  }

  /** One row of one step, hidden width 3, every input filled with small distinct values. */
  private static RecurrentBuffers buffers(int gates, int savedBlocks, int states) {
    RecurrentBuffers s = new RecurrentBuffers().prepare(gates, savedBlocks, states, 1, 1, 3).prepareBackward();
    for (float[] x : new float[][] {s.gi, s.gh, s.h, s.dh}) {
      for (int i = 0; i < x.length; i++) {
        x[i] = 0.1f * (i % 7) - 0.3f;
      }
    }
    if (states == 2) {
      Arrays.fill(s.c, 0.5f);
      Arrays.fill(s.dc, -0.25f);
    }
    s.at(0, 0);
    return s;
  }

  private static void check(String what, int size, Call reference, Call door) {
    float[] expected = new float[size];
    float[] actual = new float[size];
    reference.run(expected);
    door.run(actual);
    check(what, expected, actual);
  }

  private static void check(String what, float[] expected, float[] actual) {
    if (!Arrays.equals(expected, actual)) {
      throw new AssertionError(what + ": expected " + Arrays.toString(expected) + ", got " + Arrays.toString(actual));
    }
  }
}
