package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.IndexKernels;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Tensor;

/**
 * Embedding lookup: gathers rows of a table by index, {@code torch.nn.functional.embedding}.
 *
 * <pre>
 *   out[…, :] = weight[ids[…], :]
 * </pre>
 *
 * <p>Shapes: weight (V, D) for a vocabulary of V entries of width D; ids of any shape (…) with
 * values in [0, V), for example (B, T) token ids; out (…, D). A flat {@code int[]} of N ids gives
 * (N, D). No ids (a size-0 shape) give an empty result. It is {@link IndexSelect} along the
 * table's dimension 0, reshaped to the ids' shape.
 *
 * <p>Derivative: the gather's adjoint is a scatter-add, {@code dWeight[ids[…], :] += dOut[…, :]};
 * an id that occurs twice receives both rows. Saved for backward: the ids (a copy, or the
 * immutable {@link IntTensor}'s own).
 */
public final class Embedding {

  private Embedding() {}

  /**
   * Returns the rows of {@code weight} named by {@code ids}, one per id.
   *
   * @param tape the tape to record on
   * @param weight the table, V×D
   * @param ids the row indices, each in [0, V) (copied)
   * @return the gathered rows, N×D
   * @throws IllegalArgumentException naming the index and V if an index is out of range
   */
  public static Variable apply(Tape tape, Variable weight, int[] ids) {
    return apply(tape, weight, IntTensor.of(ids));
  }

  /**
   * Returns the rows of {@code weight} named by {@code ids}, in the ids' shape.
   *
   * <pre>{@code
   * IntTensor tokens = IntTensor.of(ids, batch, steps);            // (B, T)
   * Variable x = Embedding.apply(tape, tokenTable, tokens);         // (B, T, C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param weight the table, V×D
   * @param ids the row indices, any shape (…), each in [0, V)
   * @return the gathered rows, (…, D)
   * @throws IllegalArgumentException naming the index and V if an index is out of range, or the
   *     table's shape if it is not 2-D
   */
  public static Variable apply(Tape tape, Variable weight, IntTensor ids) {
    Checks.requireRank("Embedding", "weight", weight, 2);
    int vocab = weight.shape().dim(0);
    int width = weight.shape().dim(1);
    int[] saved = ids.toArray();
    for (int i = 0; i < saved.length; i++) {
      if (saved[i] < 0 || saved[i] >= vocab) {
        throw new IllegalArgumentException(
            "Embedding: index " + saved[i] + " at position " + i + " is out of range for a vocabulary of " + vocab);
      }
    }
    // out's shape: the ids' shape and D
    int[] idDims = ids.shape().dims();
    int[] outDims = new int[idDims.length + 1];
    System.arraycopy(idDims, 0, outDims, 0, idDims.length);
    outDims[idDims.length] = width;
    Tensor out = tape.zeros(outDims);
    // out[i, :] = weight[ids[i], :], the ids read flat
    IndexKernels.indexSelect(weight.value().data(), saved, out.data(), 1, vocab, width);
    Variable result = tape.output("Embedding", out, weight);
    if (result.requiresGrad()) {
      tape.record("Embedding", result, dOut -> backward(dOut, saved, vocab, width, weight.gradBuffer()), weight);
    }
    return result;
  }

  private static void backward(Tensor dOut, int[] ids, int vocab, int width, Tensor dWeight) {
    // out[i, :] = weight[ids[i], :]  ⇒  dWeight[ids[i], :] += dOut[i, :]
    IndexKernels.indexAdd(dOut.data(), ids, dWeight.data(), 1, vocab, width);
  }
}
