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
 * exported. Its SIMD kernels use the incubating Vector API, which this descriptor deliberately does
 * not name: the module resolves without {@code jdk.incubator.vector}, and then every kernel runs
 * its scalar reference. Start the JVM with {@code --add-modules jdk.incubator.vector} to enable
 * the SIMD kernels; the choice is made once, at the first kernel call.
 *
 * <p>Note: why no {@code requires static jdk.incubator.vector}. javac resolves a module's static
 * requirements when it compiles code that reads the module, so every consumer compiled against
 * this module on the module path was warned "using incubating module(s)", and a consumer built
 * with {@code -Werror} failed. Instead the kernel classes are compiled with {@code --add-modules
 * jdk.incubator.vector --add-reads dev.tapegrad.core=jdk.incubator.vector} (core's pom), and at run
 * time, when the module is in the boot layer, the kernel selection adds the read edge for this
 * module itself ({@code Module.addReads}) before any SIMD class is loaded. The consumer check in
 * {@code core/src/it/consumer} compiles with {@code -Xlint:all -Werror} and runs with and without
 * the module, on the module path and on the class path.
 */
module dev.tapegrad.core {
  exports dev.tapegrad.tensor;
  exports dev.tapegrad.autograd;
  exports dev.tapegrad.ops;
  exports dev.tapegrad.nn;
  exports dev.tapegrad.optim;
  exports dev.tapegrad.io;
}
