package dev.tapegrad.bench;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.GradClip;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.tensor.TensorArena;
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
 * The whole char-RNN training step of the notebook's model (Embedding(65,65) → GRU(512) →
 * Linear(512,65), seq 100): forward, cross-entropy, back-propagation through time, gradient
 * clipping and an Adam step; and sampling one character (a tape-free step plus a draw from
 * softmax(logits / 0.75)). The kernels may use every core, as in real training, and each step's
 * tape reuses the storage of the step before ({@link TensorArena}), as the trainer's does.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@Threads(1)
@State(Scope.Benchmark)
public class TrainStepBench {

  private static final int VOCAB = 65;
  private static final int HIDDEN = 512;
  private static final int SEQ = 100;

  @Param({"1", "32"})
  public int batch;

  private static final Sampler.Options SAMPLING = new Sampler.Options(0.75, 0, 0);

  private final TensorArena arena = new TensorArena();
  private final double[] weights = new double[VOCAB];
  private CharModel model;
  private Adam adam;
  private int[] inputs;
  private int[] targets;
  private CharModel.Stepper stepper;
  private SplittableRandom draws;
  private int last;

  /** Builds the model, a random batch and a stepper from fixed seeds. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(11);
    model = CharModel.create(VOCAB, HIDDEN, 1, random);
    adam = Adam.create(model.parameters(), 1e-3f);
    inputs = new int[batch * SEQ];
    targets = new int[batch * SEQ];
    for (int i = 0; i < inputs.length; i++) {
      inputs[i] = random.nextInt(VOCAB);
      targets[i] = random.nextInt(VOCAB);
    }
    stepper = model.stepper();
    draws = new SplittableRandom(12);
  }

  /** One training step on batch × 100 characters. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public float trainStep() {
    adam.zeroGrad();
    Tape tape = new Tape(arena);
    CharModel.Forward f = model.forward(tape, inputs, batch, SEQ, null, Implementation.FUSED);
    Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
    tape.backward(loss);
    GradClip.clipGlobalNorm(model.parameters(), 5.0);
    adam.step();
    return loss.value().item();
  }

  /** One sampled character at temperature 0.75 (independent of the batch parameter). */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int sampleOneCharacter() {
    float[] logits = stepper.step(last);
    last = Sampler.draw(logits, SAMPLING, draws, weights);
    return last;
  }
}
