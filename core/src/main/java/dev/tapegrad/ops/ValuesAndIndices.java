package dev.tapegrad.ops;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;
import java.util.Objects;

/**
 * What {@code torch.max(x, dim)} and {@code torch.min(x, dim)} return: the extreme values and where
 * along the dimension each was found.
 *
 * <p>Indices are a tensor of the values' shape holding whole numbers as floats (Tapegrad's tensors
 * are float; a float holds every integer up to 2^24 exactly, and the ops refuse a longer
 * dimension), so that they compose with the comparisons: {@code Compare.apply(tape, indices,
 * Compare.Relation.EQ, targets)} is a mask of the correct predictions. {@link #indexArray()} gives
 * them as ints, for {@link Embedding} or your own indexing.
 *
 * @param values the extremes, differentiable: the gradient goes to the chosen element
 * @param indices the position of each along the reduced dimension (first occurrence of ties), a
 *     constant
 */
public record ValuesAndIndices(Variable values, Variable indices) {

  /**
   * Checks that neither part is null.
   *
   * @param values the extremes
   * @param indices their positions
   */
  public ValuesAndIndices {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(indices, "indices");
  }

  /** {@return the indices as ints, in row-major order (a new array)} */
  public int[] indexArray() {
    Tensor t = indices.value();
    int[] result = new int[t.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = (int) t.data()[i];
    }
    return result;
  }
}
