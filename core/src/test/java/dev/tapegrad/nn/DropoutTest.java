package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutTest {

  private static final Variable X = Variable.constant(Tensor.full(1f, 4, 8));

  @Test
  void trainingDropsAsTheOpWithTheSameGenerator() {
    Dropout dropout = Dropout.create(0.5, new SplittableRandom(7));
    Variable y = dropout.forward(new Tape(), X);
    Variable expected = dev.tapegrad.ops.Dropout.apply(new Tape(), X, 0.5f, new SplittableRandom(7));
    assertArrayEquals(expected.value().data(), y.value().data());
  }

  @Test
  void evaluationPassesTheInputUnchangedAndDrawsNothing() {
    SplittableRandom random = new SplittableRandom(8);
    Dropout dropout = Dropout.create(0.5, random);
    dropout.eval();
    assertSame(X, dropout.forward(new Tape(), X));
    assertEquals(new SplittableRandom(8).nextLong(), random.nextLong(), "no mask was drawn");
  }

  @Test
  void refusesAProbabilityOutsideZeroToOne() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Dropout.create(1.0, new SplittableRandom(9)),
        "p = 1.0");
  }
}
