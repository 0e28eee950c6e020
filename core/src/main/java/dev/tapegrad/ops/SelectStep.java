package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;

/**
 * One time step of a batch-first sequence, {@code x[:, t, :]} (a copy).
 *
 * <pre>
 *   out[b, :] = x[b, t, :]
 * </pre>
 *
 * <p>Shapes: x (B, L, D) batch-first as in PyTorch's {@code batch_first=True}; out (B, D).
 * Unrolling a recurrent layer in time reads its input this way, one step at a time.
 *
 * <p>Derivative: {@code dX[b, t, :] += dOut[b, :]}; other steps receive nothing. Nothing but t is
 * saved.
 */
public final class SelectStep {

  private SelectStep() {}

  /**
   * Returns step {@code t} of every sequence in the batch.
   *
   * @param tape the tape to record on
   * @param x the sequences, B×L×D
   * @param t the step, in [0, L)
   * @return the step's values, B×D
   * @throws IllegalArgumentException if x is not 3-D or t is out of range
   */
  public static Variable apply(Tape tape, Variable x, int t) {
    Checks.requireRank("SelectStep", "x", x, 3);
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int width = x.shape().dim(2);
    if (t < 0 || t >= steps) {
      throw new IllegalArgumentException("SelectStep: step " + t + " is out of range for shape " + x.shape());
    }
    Tensor out = tape.zeros(batch, width);
    for (int b = 0; b < batch; b++) {
      // out[b, :] = x[b, t, :]
      System.arraycopy(x.value().storage(), (b * steps + t) * width, out.storage(), b * width, width);
    }
    Variable result = tape.output("SelectStep", out, x);
    if (result.requiresGrad()) {
      tape.record("SelectStep", result, dOut -> backward(dOut, t, steps, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, int t, int steps, Tensor dX) {
    int batch = dOut.dim(0);
    int width = dOut.dim(1);
    float[] g = dOut.storage();
    float[] dx = dX.storage();
    for (int b = 0; b < batch; b++) {
      // out[b, :] = x[b, t, :]  ⇒  dX[b, t, :] += dOut[b, :]
      int base = (b * steps + t) * width;
      for (int j = 0; j < width; j++) {
        dx[base + j] += g[b * width + j];
      }
    }
  }
}
