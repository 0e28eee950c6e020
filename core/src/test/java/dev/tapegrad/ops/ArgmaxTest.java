package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class ArgmaxTest {

  // [[0, 7, 7], [5, -2, 1]]
  private static final float[] X = {0, 7, 7, 5, -2, 1};

  @Test
  void flatIndexOfTheFirstLargestAndSmallest() {
    Variable x = param("x", X, 2, 3);
    Variable best = Argmax.apply(new Tape(), x);
    assertEquals(0, best.shape().rank());
    assertEquals(1f, best.value().item());
    assertEquals(4f, Argmin.apply(new Tape(), x).value().item());
    assertFalse(best.requiresGrad());
  }

  @Test
  void indicesAlongADimensionKeepingItOrNot() {
    Variable x = param("x", X, 2, 3);
    Variable rows = Argmax.apply(new Tape(), x, 1, false);
    assertEquals(Shape.of(2), rows.shape());
    AllClose.check("argmax rows", new float[] {1, 0}, rows.value().data(), 0, 0);
    Variable cols = Argmin.apply(new Tape(), x, -2, true);
    assertEquals(Shape.of(1, 3), cols.shape());
    AllClose.check("argmin columns", new float[] {0, 1, 1}, cols.value().data(), 0, 0);
  }

  @Test
  void rejectsADimensionOutOfRange() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Argmax.apply(new Tape(), param("x", X, 6), 1,
        false), "Argmax", "1", "[6]");
  }
}
