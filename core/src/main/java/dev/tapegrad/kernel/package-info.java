/**
 * Internal: the numeric loops behind every op. Not part of the public API.
 *
 * <p>Each family has a scalar {@code …Reference} implementation written like the math, which is
 * the definition that faster variants are tested against. Read {@link dev.tapegrad.kernel.Kernels}
 * first: it is the one place where ops call in, and the one place where an implementation is
 * chosen (SIMD when the {@code jdk.incubator.vector} module is present, scalar otherwise or when
 * {@code -Dtapegrad.kernels=scalar} is set). Then the references: {@code MatMulKernels},
 * {@code MatVecKernels}, {@code ElementwiseKernels}, {@code BroadcastKernels} (the elementwise
 * binary ops on broadcast operands), {@code SoftmaxKernels}, {@code SoftmaxCrossEntropyKernels},
 * {@code LayerNormKernels}, {@code LossKernels} (cross-entropy with ignored targets and smoothing,
 * MSE, BCE on logits), {@code AdamKernels}; {@code BatchedMatMulKernels} runs batches of the
 * products of {@code Kernels} and has no loop of its own but the one over batches.
 *
 * <p>The fast paths sit beside them and each says "identical to the reference except …":
 * {@code MatMulSimd} (register-tiled matrix products), {@code MatMulParallel} with the small
 * {@code Parallel} helper (the same tiles on blocks of rows or columns, same bits for any thread
 * count), {@code MatVecSimd}, {@code BroadcastSimd}, {@code SoftmaxSimd},
 * {@code SoftmaxCrossEntropySimd} and {@code AdamSimd}. The remaining elementwise loops (relu, neg,
 * sqrt, and the like) stay scalar: C2 vectorizes such simple loops by itself, and exp, log and pow
 * call {@link java.lang.Math} per element. Only classes
 * named {@code …Simd} or {@code …Parallel} touch {@code jdk.incubator.vector}, and only
 * {@code Kernels} decides whether they are loaded.
 */
package dev.tapegrad.kernel;
