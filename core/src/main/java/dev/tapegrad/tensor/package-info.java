/**
 * Dense float32 tensors: the values every other package computes with.
 *
 * <p>Reading order: {@link dev.tapegrad.tensor.Shape} (an immutable list of dimensions), then
 * {@link dev.tapegrad.tensor.Tensor} (row-major storage plus a shape, made by static factories
 * such as {@code zeros}, {@code of} and {@code uniform}, counting its in-place changes), then
 * {@link dev.tapegrad.tensor.IntTensor} (immutable {@code int} indices with a shape, for the
 * indexing ops and embeddings), then
 * {@link dev.tapegrad.tensor.Broadcast} (the broadcasting rule of elementwise ops and where each
 * output element reads its operands), then {@link dev.tapegrad.tensor.AllClose}
 * (comparing floats with a tolerance, since tensors have no value {@code equals}), and last
 * {@link dev.tapegrad.tensor.Backend} (which kernels compute with: scalar or SIMD, and on how many
 * threads).
 */
package dev.tapegrad.tensor;
