package dev.tapegrad.bench;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.Recurrent;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One recurrent layer's forward and backward over a chunk of the notebook's size (seq 100, hidden
 * 512, input width 65 = the vocabulary, as after Embedding(V,V)), for each cell, composed from
 * primitive ops ({@code REFERENCE}) against the fused op with its hand-written back-propagation
 * through time ({@code FUSED}). The loss is {@code Σ w ⊙ output} with fixed weights, so backward reaches every
 * step. Time per chunk; divide {@code batch · 100} characters by it for characters per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class RecurrentBench {

  private static final int SEQ = 100;
  private static final int HIDDEN = 512;
  private static final int INPUT = 65;

  @Param({"GRU", "LSTM", "RNN"})
  public CellKind cell;

  @Param({"1", "32"})
  public int batch;

  @Param({"FUSED", "REFERENCE"})
  public Implementation implementation;

  private Recurrent layer;
  private Variable x;
  private Variable weights;

  /** Builds the layer and a random input from a fixed seed. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    layer = Recurrent.create(cell, INPUT, HIDDEN, 1, random);
    x = Variable.parameter("x", Tensor.uniform(random, -1f, 1f, batch, SEQ, INPUT));
    weights = Variable.constant(Tensor.uniform(random, -1f, 1f, batch, SEQ, HIDDEN));
  }

  /** Forward and backward through one chunk; returns a gradient value so nothing is eliminated. */
  @Benchmark
  public float forwardBackward() {
    for (Variable p : layer.parameters()) {
      p.zeroGrad();
    }
    x.zeroGrad();
    Tape tape = new Tape();
    Recurrent.Output out = layer.forward(tape, x, null, implementation);
    tape.backward(Sum.apply(tape, Mul.apply(tape, out.output(), weights)));
    return layer.parameters().get(1).grad().storage()[0];
  }
}
