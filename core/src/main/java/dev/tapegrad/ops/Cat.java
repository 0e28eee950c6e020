package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.List;

/**
 * Tensors joined end to end along an existing dimension, {@code torch.cat(tensors, dim)}.
 *
 * <pre>
 *   out[…, c_t + j, …] = x_t[…, j, …]    for 0 ≤ j &lt; n_t, c_t = n_0 + … + n_(t−1)
 * </pre>
 *
 * <p>Shapes: each x_t has the same shape except at dimension d, where it has n_t (0 allowed);
 * out has Σ_t n_t there. As in PyTorch, a 1-D tensor of size 0 may appear anywhere in the list
 * and is skipped.
 *
 * <p>Derivative: each input receives its own block of the gradient,
 * {@code dX_t[…, j, …] += dOut[…, c_t + j, …]}. Nothing but the offsets is saved.
 */
public final class Cat {

  private Cat() {}

  /**
   * Returns the tensors joined along {@code dim}.
   *
   * <pre>{@code
   * Variable both = Cat.apply(tape, List.of(a, b), -1);   // (N, Ca) and (N, Cb) → (N, Ca + Cb)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param tensors at least one tensor; all of one shape except along {@code dim}
   * @param dim the dimension to join along, negative counting from the end
   * @return the concatenation
   * @throws IllegalArgumentException naming the shapes if the list is empty, a tensor is rank 0,
   *     or the shapes differ elsewhere than at {@code dim}
   */
  public static Variable apply(Tape tape, List<Variable> tensors, int dim) {
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("Cat: needs at least one tensor");
    }
    // PyTorch's legacy rule: 1-D empty tensors are skipped whatever the others' shape
    Variable first = null;
    for (Variable x : tensors) {
      if (!isSkipped(x)) {
        first = x;
        break;
      }
    }
    if (first == null) {
      first = tensors.get(0);
    }
    if (first.shape().rank() == 0) {
      throw new IllegalArgumentException("Cat: zero-dimensional tensors cannot be concatenated, got shape "
          + first.shape());
    }
    int d = Checks.dim("Cat", first.shape(), dim);
    int[] outDims = first.shape().dims();
    outDims[d] = 0;
    for (Variable x : tensors) {
      if (x != first && isSkipped(x)) {
        continue;
      }
      int[] dims = x.shape().dims();
      boolean fits = dims.length == outDims.length;
      for (int k = 0; fits && k < dims.length; k++) {
        fits = k == d || dims[k] == outDims[k];
      }
      if (!fits) {
        throw new IllegalArgumentException("Cat: shapes " + first.shape() + " and " + x.shape()
            + " differ outside dimension " + dim);
      }
      outDims[d] += dims[d];
    }
    Tensor out = tape.zeros(outDims);
    int[] outStrides = ShapeKernels.contiguousStrides(outDims);
    Variable[] inputs = tensors.toArray(new Variable[0]);
    // x_t starts at c_t along d: offset c_t·s_d in out
    int[] offsets = new int[inputs.length];
    int position = 0;
    for (int t = 0; t < inputs.length; t++) {
      if (inputs[t] != first && isSkipped(inputs[t])) {
        continue;
      }
      int[] dims = inputs[t].shape().dims();
      offsets[t] = position * outStrides[d];
      ShapeKernels.copy(inputs[t].value().data(), 0, ShapeKernels.contiguousStrides(dims), out.data(), offsets[t],
          outStrides, dims);
      position += dims[d];
    }
    Variable result = tape.output("Cat", out, inputs);
    if (result.requiresGrad()) {
      tape.record("Cat", result, dOut -> backward(dOut, inputs, offsets, outStrides), inputs);
    }
    return result;
  }

  private static void backward(Tensor dOut, Variable[] inputs, int[] offsets, int[] outStrides) {
    for (int t = 0; t < inputs.length; t++) {
      Tensor dX = inputs[t].gradBuffer();
      if (dX == null || dX.size() == 0) {
        continue;
      }
      // out[…, c_t + j, …] = x_t[…, j, …]  ⇒  dX_t[…, j, …] += dOut[…, c_t + j, …]
      int[] dims = dX.shape().dims();
      ShapeKernels.add(dOut.data(), offsets[t], outStrides, dX.data(), 0, ShapeKernels.contiguousStrides(dims), dims);
    }
  }

  /** Whether x is a 1-D empty tensor, which PyTorch's cat skips. */
  private static boolean isSkipped(Variable x) {
    return x.shape().rank() == 1 && x.shape().dim(0) == 0;
  }
}
