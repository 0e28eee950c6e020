package dev.tapegrad.autograd;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.tensor.Tensor;
import dev.tapegrad.tensor.TensorArena;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A tape made with a {@link TensorArena}: its ops' outputs and their gradients borrow storage that
 * the next tape on the arena takes back, the training it runs is bitwise the training without an
 * arena, and a value kept past its step is refused.
 */
class TapeArenaTest {

  private static final int[] TARGETS = {0, 2, 1, 2, 0};

  /** A two-layer perceptron on five points: its parameters, made from a fixed seed. */
  private static List<Variable> parameters() {
    SplittableRandom random = new SplittableRandom(5);
    return List.of(Variable.parameter("w1", Tensor.uniform(random, -1, 1, 8, 4)),
        Variable.parameter("b1", Tensor.uniform(random, -1, 1, 8)),
        Variable.parameter("w2", Tensor.uniform(random, -1, 1, 3, 8)),
        Variable.parameter("b2", Tensor.uniform(random, -1, 1, 3)));
  }

  private static Variable loss(Tape tape, List<Variable> p) {
    Variable x = Variable.constant(Tensor.uniform(new SplittableRandom(6), -1, 1, 5, 4));
    Variable hidden = Tanh.apply(tape, Linear.apply(tape, x, p.get(0), p.get(1)));
    return SoftmaxCrossEntropy.apply(tape, Linear.apply(tape, hidden, p.get(2), p.get(3)), TARGETS);
  }

  /** Trains for {@code steps} Adam steps, each on a new tape (with the arena when one is given). */
  private static float[][] train(TensorArena arena, int steps) {
    List<Variable> p = parameters();
    Adam adam = Adam.create(p, 0.05f);
    for (int s = 0; s < steps; s++) {
      adam.zeroGrad();
      Tape tape = arena == null ? new Tape() : new Tape(arena);
      tape.backward(loss(tape, p));
      adam.step();
    }
    return p.stream().map(v -> v.value().toArray()).toArray(float[][]::new);
  }

  @Test
  void trainingWithAnArenaIsBitwiseTrainingWithout() {
    float[][] without = train(null, 6);
    float[][] with = train(new TensorArena(), 6);
    for (int i = 0; i < without.length; i++) {
      assertArrayEquals(without[i], with[i], "parameter " + i);
    }
  }

  @Test
  void inSteadyStateAStepReusesTheStorageOfTheStepBefore() {
    TensorArena arena = new TensorArena();
    List<Variable> p = parameters();
    Tape first = new Tape(arena);
    first.backward(loss(first, p));
    long held = arena.floatsHeld();
    Tape second = new Tape(arena);
    Variable loss = loss(second, p);
    second.backward(loss);
    assertEquals(held, arena.floatsHeld(), "the second step borrowed only what the first gave back");
  }

  @Test
  void resultsAndTheirGradientsBorrowFromTheArena() {
    TensorArena arena = new TensorArena();
    Variable w = parameters().get(0);
    Tape tape = new Tape(arena);
    Variable y = Tanh.apply(tape, w);
    assertEquals(32, arena.floatsHeld(), "the 8×4 output");
    tape.backward(y, Tensor.full(1f, 8, 4), true);
    assertEquals(64, arena.floatsHeld(), "and its gradient; the parameter's gradient is its own");
    assertNotNull(w.grad());
  }

  @Test
  void aValueOfThePreviousTapeIsRefusedOnceTheNextTapeStarts() {
    TensorArena arena = new TensorArena();
    List<Variable> p = parameters();
    Variable x = Variable.constant(Tensor.uniform(new SplittableRandom(6), -1, 1, 5, 4));
    Tape tape = new Tape(arena);
    Variable hidden = Linear.apply(tape, x, p.get(0), p.get(1));
    float[] values = hidden.value().toArray();
    Tensor kept = hidden.value().copy();
    new Tape(arena);
    assertThrowsWithMessage(IllegalStateException.class, () -> hidden.value().storage(), "[5, 8]", "TensorArena",
        "copy()");
    assertArrayEquals(values, kept.storage(), "a copy outlives the step");
  }
}
