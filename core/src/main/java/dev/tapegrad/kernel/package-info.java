/**
 * Internal: the numeric loops behind every op. Not part of the public API.
 *
 * <p>Each family has a scalar {@code …Reference} implementation written like the math, which is
 * the definition that faster variants are tested against. Read {@link dev.tapegrad.kernel.Kernels}
 * first: it is the one place where ops call in, and the one place where an implementation is
 * chosen. Then the families: {@code MatMulKernels}, {@code ElementwiseKernels},
 * {@code SoftmaxCrossEntropyKernels}, {@code AdamKernels}.
 */
package dev.tapegrad.kernel;
