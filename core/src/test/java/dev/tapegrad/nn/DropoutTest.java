package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutTest {

  @Test
  void startsInTrainingModeAndDropsWithTheOpsMask() {
    // the layer draws from its generator exactly as the op does from a generator in the same state
    Variable x = Variable.parameter("x", Tensor.full(1f, 4, 8));
    Dropout layer = Dropout.create(0.5f, new SplittableRandom(3));
    assertTrue(layer.isTraining());
    Variable dropped = layer.forward(new Tape(), x);
    Variable expected = dev.tapegrad.ops.Dropout.apply(new Tape(), x, 0.5f, new SplittableRandom(3));
    assertArrayEquals(expected.value().data(), dropped.value().data());
    // each element is 0 or 1 / (1 − 0.5) = 2, and with 32 draws both occur
    int zeros = 0;
    for (float v : dropped.value().data()) {
      assertTrue(v == 0f || v == 2f, "element " + v);
      zeros += v == 0f ? 1 : 0;
    }
    assertTrue(zeros > 0 && zeros < 32, zeros + " zeros");
  }

  @Test
  void passesTheInputThroughInEvaluationMode() {
    Variable x = Variable.parameter("x", Tensor.full(1f, 2, 3));
    Dropout layer = Dropout.create(0.9f, new SplittableRandom(3)).train(false);
    assertFalse(layer.isTraining());
    Tape tape = new Tape();
    assertSame(x, layer.forward(tape, x));
    assertEquals(0, tape.entries().size());
    assertTrue(layer.train(true).isTraining());
  }

  @Test
  void hasNoParameters() {
    assertEquals(0, Dropout.create(0.1f, new SplittableRandom(1)).namedParameters().size());
  }

  @Test
  void rejectsAProbabilityOutsideZeroToOne() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Dropout.create(1f, new SplittableRandom(1)),
        "Dropout", "p = 1.0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Dropout.create(Float.NaN, new SplittableRandom(1)),
        "Dropout", "NaN");
  }
}
