/**
 * The differentiable ops: one final class per op, each with its forward ({@code apply}) and its
 * backward side by side and the math in its javadoc.
 *
 * <p>Reading order: {@link dev.tapegrad.ops.Add} (the smallest complete op, broadcasting its
 * operands), {@link dev.tapegrad.ops.Sub}, {@link dev.tapegrad.ops.Mul} (an op that saves its
 * inputs), {@link dev.tapegrad.ops.Div}, {@link dev.tapegrad.ops.MatMul}; the elementwise functions
 * {@link dev.tapegrad.ops.Sigmoid}, {@link dev.tapegrad.ops.Tanh}, {@link dev.tapegrad.ops.Relu},
 * {@link dev.tapegrad.ops.Exp}, {@link dev.tapegrad.ops.Log}, {@link dev.tapegrad.ops.Neg},
 * {@link dev.tapegrad.ops.Sqrt}, {@link dev.tapegrad.ops.Pow}; {@link dev.tapegrad.ops.Sum} and
 * {@link dev.tapegrad.ops.Mean} (of everything or along a dimension), {@link dev.tapegrad.ops.Softmax},
 * {@link dev.tapegrad.ops.LogSoftmax}, {@link dev.tapegrad.ops.Transpose};
 * {@link dev.tapegrad.ops.Dropout}, {@link dev.tapegrad.ops.Embedding},
 * {@link dev.tapegrad.ops.Linear}, {@link dev.tapegrad.ops.SoftmaxCrossEntropy}; then the plumbing a
 * recurrent network needs:
 * {@link dev.tapegrad.ops.SliceColumns}, {@link dev.tapegrad.ops.ConcatColumns},
 * {@link dev.tapegrad.ops.SelectStep}, {@link dev.tapegrad.ops.StackSteps}, {@link dev.tapegrad.ops.Reshape};
 * the shape and indexing ops over any dimension, each a strided copy whose backward adds back:
 * {@link dev.tapegrad.ops.Narrow}, {@link dev.tapegrad.ops.Slice}, {@link dev.tapegrad.ops.Select},
 * {@link dev.tapegrad.ops.Cat}, {@link dev.tapegrad.ops.Stack}, {@link dev.tapegrad.ops.Split},
 * {@link dev.tapegrad.ops.Chunk}, {@link dev.tapegrad.ops.Permute}, {@link dev.tapegrad.ops.Expand},
 * {@link dev.tapegrad.ops.Unsqueeze}, {@link dev.tapegrad.ops.Squeeze}, {@link dev.tapegrad.ops.Flatten}
 * (the last three are reshapes), and those that read an {@link dev.tapegrad.tensor.IntTensor}:
 * {@link dev.tapegrad.ops.IndexSelect}, {@link dev.tapegrad.ops.Gather} and
 * {@link dev.tapegrad.ops.ScatterAdd}; last the recurrent cells:
 * {@link dev.tapegrad.ops.CellKind} (the gate math of one step of a GRU, an LSTM and a plain RNN,
 * forward and backward, side by side) and {@link dev.tapegrad.ops.FusedRecurrent} (a whole layer
 * over a sequence with its hand-written back-propagation through time, the same for every cell).
 *
 * <p>The elementwise-selection and reduction family (issue 22): {@link dev.tapegrad.ops.Abs},
 * {@link dev.tapegrad.ops.Clamp}, {@link dev.tapegrad.ops.Maximum}, {@link dev.tapegrad.ops.Minimum},
 * {@link dev.tapegrad.ops.Compare} (masks of 1 and 0), {@link dev.tapegrad.ops.Where},
 * {@link dev.tapegrad.ops.MaskedFill}, {@link dev.tapegrad.ops.Gelu}; then the reductions over any
 * set of dimensions, all on one index layout (the package-private {@code ReducedDims}):
 * {@link dev.tapegrad.ops.Amax}, {@link dev.tapegrad.ops.Amin}, {@link dev.tapegrad.ops.Max} and
 * {@link dev.tapegrad.ops.Min} (with {@link dev.tapegrad.ops.ValuesAndIndices}),
 * {@link dev.tapegrad.ops.Argmax}, {@link dev.tapegrad.ops.Argmin},
 * {@link dev.tapegrad.ops.LogSumExp}, {@link dev.tapegrad.ops.Var} and {@link dev.tapegrad.ops.Std};
 * {@link dev.tapegrad.ops.Sum}, {@link dev.tapegrad.ops.Mean}, {@link dev.tapegrad.ops.Softmax} and
 * {@link dev.tapegrad.ops.LogSoftmax} also take several dimensions or any dimension.
 *
 * <p>Linear algebra, normalisation and losses, for models over (B, T, C): {@link dev.tapegrad.ops.MatMul}
 * follows torch.matmul for vectors and broadcast batches of matrices, {@link dev.tapegrad.ops.Linear}
 * takes (…, In); {@link dev.tapegrad.ops.LayerNorm} (a fused backward, derived in its javadoc);
 * {@link dev.tapegrad.ops.CrossEntropy} (over (…, C), ignored targets, label smoothing),
 * {@link dev.tapegrad.ops.MseLoss} and {@link dev.tapegrad.ops.BinaryCrossEntropyWithLogits}, each
 * reduced as a {@link dev.tapegrad.ops.Reduction} says.
 *
 * <p>{@link dev.tapegrad.ops.Expr} writes the same ops as method chains on a variable bound to a
 * tape, {@code x.mul(w).add(b).relu()}. {@link dev.tapegrad.ops.Checks} holds the shape checks,
 * public for your own ops; the broadcasting rule is {@link dev.tapegrad.tensor.Broadcast}.
 */
package dev.tapegrad.ops;
