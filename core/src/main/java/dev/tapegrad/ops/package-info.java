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
 * {@link dev.tapegrad.ops.Sum}, {@link dev.tapegrad.ops.Mean}; last the fused recurrent layers with
 * their hand-written back-propagation through time: {@link dev.tapegrad.ops.FusedGru},
 * {@link dev.tapegrad.ops.FusedRnn}, {@link dev.tapegrad.ops.FusedLstm}.
 */
package dev.tapegrad.ops;
