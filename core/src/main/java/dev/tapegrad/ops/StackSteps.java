package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;
import java.util.List;

/**
 * Stacks per-step values into a batch-first sequence, {@code torch.stack(steps, dim=1)}.
 *
 * <pre>
 *   out[b, t, :] = steps[t][b, :]
 * </pre>
 *
 * <p>Shapes: each step (B, D); out (B, L, D) for L steps. A recurrent layer collects its hidden
 * states this way to return every step's output.
 *
 * <p>Derivative: {@code dSteps[t][b, :] += dOut[b, t, :]}. Nothing is saved.
 */
public final class StackSteps {

  private StackSteps() {}

  /**
   * Returns the steps stacked along a new time axis.
   *
   * @param tape the tape to record on
   * @param steps L values of equal shape B×D, in time order
   * @return the sequence, B×L×D
   * @throws IllegalArgumentException if there are no steps or their shapes differ
   */
  public static Variable apply(Tape tape, List<Variable> steps) {
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("StackSteps: no steps");
    }
    Variable first = steps.get(0);
    Checks.requireRank("StackSteps", "each step", first, 2);
    for (Variable s : steps) {
      if (!s.shape().equals(first.shape())) {
        throw new IllegalArgumentException(
            "StackSteps: step shapes " + first.shape() + " and " + s.shape() + " differ");
      }
    }
    int batch = first.shape().dim(0);
    int width = first.shape().dim(1);
    int length = steps.size();
    Tensor out = tape.zeros(batch, length, width);
    for (int t = 0; t < length; t++) {
      for (int b = 0; b < batch; b++) {
        // out[b, t, :] = steps[t][b, :]
        System.arraycopy(steps.get(t).value().storage(), b * width, out.storage(), (b * length + t) * width, width);
      }
    }
    Variable[] inputs = steps.toArray(new Variable[0]);
    Variable result = tape.output("StackSteps", out, inputs);
    if (result.requiresGrad()) {
      tape.record("StackSteps", result, dOut -> backward(dOut, inputs), inputs);
    }
    return result;
  }

  private static void backward(Tensor dOut, Variable[] steps) {
    int batch = dOut.dim(0);
    int length = dOut.dim(1);
    int width = dOut.dim(2);
    float[] g = dOut.storage();
    for (int t = 0; t < length; t++) {
      Tensor dStep = steps[t].gradBuffer();
      if (dStep == null) {
        continue;
      }
      for (int b = 0; b < batch; b++) {
        // out[b, t, :] = steps[t][b, :]  ⇒  dSteps[t][b, :] += dOut[b, t, :]
        int base = (b * length + t) * width;
        for (int j = 0; j < width; j++) {
          dStep.storage()[b * width + j] += g[base + j];
        }
      }
    }
  }
}
