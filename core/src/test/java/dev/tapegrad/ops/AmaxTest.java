package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class AmaxTest {

  // x = [[[1, 5], [3, 2]], [[4, 0], [-1, 6]]], shape (2, 2, 2)
  private static final float[] X = {1, 5, 3, 2, 4, 0, -1, 6};

  @Test
  void reducesSeveralDimensionsAtOnce() {
    Variable x = param("x", X, 2, 2, 2);
    // over dims 0 and 2: for middle index 0 {1, 5, 4, 0} → 5; for 1 {3, 2, -1, 6} → 6
    Variable out = Amax.apply(new Tape(), x, new int[] {0, -1}, false);
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("amax", new float[] {5, 6}, out.value().data(), 0, 0);
    Variable kept = Amax.apply(new Tape(), x, new int[] {2, 0}, true);
    assertEquals(Shape.of(1, 2, 1), kept.shape());
    Variable low = Amin.apply(new Tape(), x, new int[] {0, 2}, false);
    AllClose.check("amin", new float[] {0, -1}, low.value().data(), 0, 0);
  }

  @Test
  void anEmptyDimensionListReducesEverything() {
    Variable out = Amax.apply(new Tape(), param("x", X, 2, 2, 2), new int[0], false);
    assertEquals(0, out.shape().rank());
    assertEquals(6f, out.value().item());
  }

  @Test
  void gradientIsSplitEvenlyAmongTies() {
    // row [2, 7, 7, 1]: two maxima share dOut = 6 → 3 each; row [0, 0, 0, 0]: four share 4 → 1 each
    Variable x = param("x", new float[] {2, 7, 7, 1, 0, 0, 0, 0}, 2, 4);
    Tape tape = new Tape();
    backward(tape, Amax.apply(tape, x, new int[] {1}, false), 6f, 4f);
    AllClose.check("dX", new float[] {0, 3, 3, 0, 1, 1, 1, 1}, x.grad().data(), 0, 0);
  }

  @Test
  void aminGradientGoesToTheMinimum() {
    Variable x = param("x", new float[] {2, -7, 5, -7}, 4);
    Tape tape = new Tape();
    backward(tape, Amin.apply(tape, x, new int[] {0}, false), 1f);
    AllClose.check("dX", new float[] {0, 0.5f, 0, 0.5f}, x.grad().data(), 0, 0);
  }

  @Test
  void aNanMakesTheReductionNan() {
    Variable out = Amax.apply(new Tape(), param("x", new float[] {1, Float.NaN, 3}, 3), new int[] {0}, false);
    assertTrue(Float.isNaN(out.value().item()));
  }

  @Test
  void rejectsARepeatedOrOutOfRangeDimensionNamingTheShape() {
    Variable x = param("x", X, 2, 2, 2);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Amax.apply(new Tape(), x, new int[] {1, -2}, false), "Amax", "-2", "twice", "[2, 2, 2]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Amin.apply(new Tape(), x, new int[] {3}, false), "Amin", "3", "[2, 2, 2]");
  }
}
