package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;

/**
 * Embedding lookup: gathers rows of a table by index.
 *
 * <pre>
 *   out[i, :] = weight[ids[i], :]
 * </pre>
 *
 * <p>Shapes: weight (V, D) for a vocabulary of V entries of width D; ids (N) with values in
 * [0, V); out (N, D).
 *
 * <p>Derivative: the gather's adjoint is a scatter-add, {@code dWeight[ids[i], :] += dOut[i, :]};
 * an id that occurs twice receives both rows. Saved for backward: a copy of the ids.
 */
public final class Embedding {

  private Embedding() {}

  /**
   * Returns the rows of {@code weight} named by {@code ids}.
   *
   * @param tape the tape to record on
   * @param weight the table, V×D
   * @param ids the row indices, each in [0, V)
   * @return the gathered rows, N×D
   * @throws IllegalArgumentException naming the index and V if an index is out of range
   */
  public static Variable apply(Tape tape, Variable weight, int[] ids) {
    Checks.requireRank("Embedding", "weight", weight, 2);
    int vocab = weight.shape().dim(0);
    int width = weight.shape().dim(1);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= vocab) {
        throw new IllegalArgumentException(
            "Embedding: index " + ids[i] + " at position " + i + " is out of range for a vocabulary of " + vocab);
      }
    }
    if (ids.length == 0) {
      throw new IllegalArgumentException("Embedding: no indices");
    }
    int[] saved = ids.clone();
    float[] w = weight.value().data();
    Tensor out = tape.zeros(ids.length, width);
    float[] o = out.data();
    for (int i = 0; i < saved.length; i++) {
      // out[i, :] = weight[ids[i], :]
      System.arraycopy(w, saved[i] * width, o, i * width, width);
    }
    Variable result = tape.output("Embedding", out, weight);
    if (result.requiresGrad()) {
      tape.record("Embedding", result, dOut -> backward(dOut, saved, width, weight.gradBuffer()), weight);
    }
    return result;
  }

  private static void backward(Tensor dOut, int[] ids, int width, Tensor dWeight) {
    float[] g = dOut.data();
    float[] dw = dWeight.data();
    for (int i = 0; i < ids.length; i++) {
      // out[i, :] = weight[ids[i], :]  ⇒  dWeight[ids[i], :] += dOut[i, :]
      int row = ids[i] * width;
      for (int j = 0; j < width; j++) {
        dw[row + j] += g[i * width + j];
      }
    }
  }
}
