/**
 * Internal: every numeric loop behind the ops. Not part of the public API.
 *
 * <p><b>One door per kernel family.</b> A family's reference class ({@code MatMulKernels},
 * {@code MatVecKernels}, {@code BroadcastKernels}, {@code SoftmaxKernels},
 * {@code SoftmaxCrossEntropyKernels}, {@code AdamKernels}, {@code GateKernels},
 * {@code FmaKernels}) is where ops call in. Each public method there is a door: it carries the
 * javadoc, once; its first line hands over to the family's SIMD twin when {@code Vectors.ON}
 * ({@code if (Vectors.ON) { XSimd.fooSimd(…); return; }}); and right below it sits the scalar
 * loop, {@code fooReference}, written like the math, the definition the twin is tested against.
 * The twin ({@code MatMulSimd} with {@code MatMulParallel}, {@code MatVecSimd},
 * {@code BroadcastSimd}, {@code SoftmaxSimd}, {@code SoftmaxCrossEntropySimd}, {@code AdamSimd},
 * {@code GateSimd}, {@code FmaSimd}) keeps its own file beside the reference, says "identical to
 * the reference except …", and is loaded only on that branch, so the scalar path never loads a
 * {@code jdk.incubator.vector} class. Loops with no twin ({@code ElementwiseKernels},
 * {@code SgdKernels}, the division's backwards in {@code BroadcastKernels}, the softmax
 * backwards) are plain methods without a suffix: C2 vectorizes such loops by itself, and exp, log
 * and pow call {@link java.lang.Math} per element.
 * Two families stay scalar because they only move memory: {@code ShapeKernels} (copy or add a
 * strided block, behind every shape op) and {@code IndexKernels} (index select and add, gather and
 * scatter-add). The selection and reduction ops have {@code ReduceKernels} (reductions over any
 * set of dimensions, through base and offset index maps; its maximum and minimum over contiguous
 * elements hand over to {@code ReduceSimd}), {@code CompareKernels}, {@code ClampKernels},
 * {@code GeluKernels} (with an erf) and {@code SoftmaxDimKernels}.
 * {@code LayerNormKernels} (layer norm forward and its fused backward) and {@code LossKernels}
 * (cross-entropy with ignored targets and label smoothing, MSE, BCE on logits) are scalar-only
 * families of the same kind; {@code BatchedMatMulKernels} runs batches of {@code MatMulKernels}'
 * products and has no loop of its own but the one over batches.
 *
 * <p>Read {@code Kernels} for the selection (made once: SIMD when the module is present, scalar
 * otherwise or with {@code -Dtapegrad.kernels=scalar}) and {@code Vectors} for the answer every
 * door asks, with the one species and lane count the twins share. Then any family, reference
 * first. The helpers: {@code VectorMath} (σ, tanh and e^x from polynomials that round the same
 * interpreted or compiled), {@code Parallel} (blocks of a product on the caller's pool),
 * {@code Team} (a batch-1 loop of steps shared with one spinning pool thread) and
 * {@code RecurrentBuffers} (a recurrent layer's buffers and the row its gate math works on).
 */
package dev.tapegrad.kernel;
