/**
 * Tapegrad's core: dense float tensors, a tape that records ops and replays them backwards
 * (reverse-mode autograd), general ops that broadcast and the ops a recurrent network needs,
 * layers with named parameters, SGD and Adam, and the safetensors format. It has no dependencies
 * outside the JDK.
 *
 * <p>Read it in this order: {@link dev.tapegrad.tensor}, {@link dev.tapegrad.autograd},
 * {@link dev.tapegrad.ops}, {@link dev.tapegrad.nn}, {@link dev.tapegrad.optim},
 * {@link dev.tapegrad.io}.
 *
 * <p>The numeric loops live in the internal package {@code dev.tapegrad.kernel}, which is not
 * exported. Its SIMD kernels use the incubating Vector API, which this module requires only
 * statically: the module resolves without {@code jdk.incubator.vector}, and then every kernel runs
 * its scalar reference. Start the JVM with {@code --add-modules jdk.incubator.vector} to enable
 * the SIMD kernels; the choice is made once, at the first kernel call.
 */
module dev.tapegrad.core {
  requires static jdk.incubator.vector;

  exports dev.tapegrad.tensor;
  exports dev.tapegrad.autograd;
  exports dev.tapegrad.ops;
  exports dev.tapegrad.nn;
  exports dev.tapegrad.optim;
  exports dev.tapegrad.io;
}
