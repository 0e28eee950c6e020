package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.List;

/**
 * Tensors of one shape joined along a new dimension, {@code torch.stack(tensors, dim)}.
 *
 * <pre>
 *   out[…, t, …] = x_t[…]     t at dimension d of out
 * </pre>
 *
 * <p>Shapes: every x_t has shape (n_0, …, n_(r−1)); out has rank r + 1, with T (the number of
 * tensors) inserted at dimension d, from {@code -(r+1)} to r. It is {@link Cat} of the tensors each
 * {@link Unsqueeze unsqueezed} at d, in one step.
 *
 * <p>Derivative: {@code dX_t[…] += dOut[…, t, …]}. Nothing but the strides is saved.
 */
public final class Stack {

  private Stack() {}

  /**
   * Returns the tensors stacked along a new dimension {@code dim}.
   *
   * <pre>{@code
   * Variable seq = Stack.apply(tape, steps, 1);   // L tensors (B, H) → (B, L, H)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param tensors at least one tensor, all of one shape
   * @param dim where the new dimension goes in the result, negative counting from its end
   * @return the stack
   * @throws IllegalArgumentException naming the shapes if the list is empty or the shapes differ,
   *     or if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, List<Variable> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("Stack: needs at least one tensor");
    }
    Variable first = tensors.get(0);
    for (Variable x : tensors) {
      if (!x.shape().equals(first.shape())) {
        throw new IllegalArgumentException("Stack: shapes " + first.shape() + " and " + x.shape() + " differ");
      }
    }
    int d = Unsqueeze.dim("Stack", first.shape(), dim);
    int[] dims = first.shape().dims();
    int count = tensors.size();
    // out's dimensions: x's with T inserted at d
    int[] outDims = new int[dims.length + 1];
    for (int k = 0, j = 0; k < outDims.length; k++) {
      outDims[k] = k == d ? count : dims[j++];
    }
    int[] outStrides = ShapeKernels.contiguousStrides(outDims);
    // x_t sits at offset t·s_d of out, walked with out's strides without dimension d
    int[] viewStrides = new int[dims.length];
    for (int k = 0, j = 0; k < outDims.length; k++) {
      if (k != d) {
        viewStrides[j++] = outStrides[k];
      }
    }
    int[] xStrides = ShapeKernels.contiguousStrides(dims);
    Tensor out = tape.zeros(outDims);
    Variable[] inputs = tensors.toArray(new Variable[0]);
    for (int t = 0; t < count; t++) {
      ShapeKernels.copy(inputs[t].value().data(), 0, xStrides, out.data(), t * outStrides[d], viewStrides, dims);
    }
    int step = outStrides[d];
    Variable result = tape.output("Stack", out, inputs);
    if (result.requiresGrad()) {
      tape.record("Stack", result, dOut -> backward(dOut, inputs, step, viewStrides), inputs);
    }
    return result;
  }

  private static void backward(Tensor dOut, Variable[] inputs, int step, int[] viewStrides) {
    for (int t = 0; t < inputs.length; t++) {
      Tensor dX = inputs[t].gradBuffer();
      if (dX == null) {
        continue;
      }
      // out[…, t, …] = x_t[…]  ⇒  dX_t[…] += dOut[…, t, …]
      int[] dims = dX.shape().dims();
      ShapeKernels.add(dOut.data(), t * step, viewStrides, dX.data(), 0, ShapeKernels.contiguousStrides(dims), dims);
    }
  }
}
