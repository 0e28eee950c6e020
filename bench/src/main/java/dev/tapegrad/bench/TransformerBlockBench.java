package dev.tapegrad.bench;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.examples.CharTransformer;
import dev.tapegrad.ops.Expr;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block of the char transformer ({@link CharTransformer.Block}: layer norm, causal
 * self-attention over 4 heads, residual, layer norm, GELU MLP, residual), forward and backward on a
 * new tape, at B 16, T 64, C 128: what {@code tools/pytorch/transformer_block_bench.py} times for
 * nanoGPT's block in PyTorch. Each call zeroes the gradients, runs the block on x (a parameter, so
 * its gradient is computed too, as between two blocks of a model) and back-propagates a fixed seed.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TransformerBlockBench}, with
 * {@code -jvmArgsAppend "--add-modules=jdk.incubator.vector -Dtapegrad.threads=1"} for one thread (the
 * option replaces the annotation's arguments, so it must name the vector module again).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class TransformerBlockBench {

  private static final int B = 16;
  private static final int T = 64;
  private static final int C = 128;
  private static final int HEADS = 4;

  private CharTransformer.Block block;
  private Variable x;
  private Tensor future;
  private Tensor seed;

  /** Makes the block and its input from a fixed seed. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    block = new CharTransformer.Block(new CharTransformer.Config(65, T, 1, HEADS, C, 0.0), random);
    x = Variable.parameter("x", Tensor.randn(random, 0f, 1f, B, T, C));
    future = CharTransformer.futureMask(T);
    seed = Tensor.randn(random, 0f, 1f, B, T, C);
  }

  /** The block's forward and backward. */
  @Benchmark
  public Tensor forwardBackward() {
    block.parameters().forEach(Variable::zeroGrad);
    x.zeroGrad();
    Tape tape = new Tape();
    Expr y = block.forward(Expr.of(tape, x), Expr.constant(tape, future));
    y.backward(seed);
    return x.grad();
  }
}
