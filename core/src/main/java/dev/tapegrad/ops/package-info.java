/**
 * The differentiable ops: one final class per op, each with its forward ({@code apply}) and its
 * backward side by side and the math in its javadoc.
 *
 * <p>Reading order: {@link dev.tapegrad.ops.Add} (the smallest complete op), {@link dev.tapegrad.ops.Mul}
 * (an op that saves its inputs), {@link dev.tapegrad.ops.MatMul}, {@link dev.tapegrad.ops.Sigmoid} and
 * {@link dev.tapegrad.ops.Tanh}, {@link dev.tapegrad.ops.Dropout}, {@link dev.tapegrad.ops.Embedding},
 * {@link dev.tapegrad.ops.Linear}, {@link dev.tapegrad.ops.SoftmaxCrossEntropy}; then the plumbing a
 * recurrent network needs:
 * {@link dev.tapegrad.ops.SliceColumns}, {@link dev.tapegrad.ops.ConcatColumns},
 * {@link dev.tapegrad.ops.SelectStep}, {@link dev.tapegrad.ops.StackSteps}, {@link dev.tapegrad.ops.Reshape},
 * {@link dev.tapegrad.ops.Sum}, {@link dev.tapegrad.ops.Mean}; last the recurrent cells:
 * {@link dev.tapegrad.ops.CellKind} (the gate math of one step of a GRU, an LSTM and a plain RNN,
 * forward and backward, side by side) and {@link dev.tapegrad.ops.FusedRecurrent} (a whole layer
 * over a sequence with its hand-written back-propagation through time, the same for every cell).
 */
package dev.tapegrad.ops;
