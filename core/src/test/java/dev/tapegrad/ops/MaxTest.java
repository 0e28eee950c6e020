package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class MaxTest {

  @Test
  void returnsTheValuesAndIndicesAlongADimension() {
    // [[1, 9, 3], [8, 2, 8]]: rows → (9 at 1), (8 at 0: the first of the tie); columns → 8, 9, 8 at 1, 0, 1
    Variable x = param("x", new float[] {1, 9, 3, 8, 2, 8}, 2, 3);
    ValuesAndIndices rows = Max.apply(new Tape(), x, -1, false);
    assertEquals(Shape.of(2), rows.values().shape());
    AllClose.check("row maxima", new float[] {9, 8}, rows.values().value().data(), 0, 0);
    assertArrayEquals(new int[] {1, 0}, rows.indexArray());
    ValuesAndIndices cols = Max.apply(new Tape(), x, 0, true);
    assertEquals(Shape.of(1, 3), cols.values().shape());
    assertEquals(Shape.of(1, 3), cols.indices().shape());
    AllClose.check("column maxima", new float[] {8, 9, 8}, cols.values().value().data(), 0, 0);
    AllClose.check("column argmax", new float[] {1, 0, 1}, cols.indices().value().data(), 0, 0);
    assertFalse(cols.indices().requiresGrad());
  }

  @Test
  void gradientGoesToTheFirstOfTiedElementsOnly() {
    // row [8, 2, 8]: the maximum is taken at index 0, so all of dOut = 5 goes there, none to index 2
    Variable x = param("x", new float[] {1, 9, 3, 8, 2, 8}, 2, 3);
    Tape tape = new Tape();
    backward(tape, Max.apply(tape, x, 1, false).values(), 4f, 5f);
    AllClose.check("dX", new float[] {0, 4, 0, 5, 0, 0}, x.grad().data(), 0, 0);
  }

  @Test
  void minPicksTheFirstSmallestAndItsGradientGoesThere() {
    Variable x = param("x", new float[] {3, -1, -1, 2}, 4);
    Tape tape = new Tape();
    ValuesAndIndices m = Min.apply(tape, x, 0, false);
    assertEquals(-1f, m.values().value().item());
    assertArrayEquals(new int[] {1}, m.indexArray());
    backward(tape, m.values(), 2f);
    AllClose.check("dX", new float[] {0, 2, 0, 0}, x.grad().data(), 0, 0);
  }

  @Test
  void theMaximumOfEveryElementSplitsItsGradientAmongTies() {
    // torch.max(x) with no dim: ties share the gradient, as amax does
    Variable x = param("x", new float[] {4, 1, 4, 4}, 2, 2);
    Tape tape = new Tape();
    Variable peak = Max.apply(tape, x);
    assertEquals(0, peak.shape().rank());
    assertEquals(4f, peak.value().item());
    backward(tape, peak, 3f);
    AllClose.check("dX", new float[] {1, 0, 1, 1}, x.grad().data(), 0, 0);
    assertEquals(1f, Min.apply(new Tape(), x).value().item());
  }

  @Test
  void aNanIsChosenAsTheMaximumAndTheMinimum() {
    Variable x = param("x", new float[] {1, Float.NaN, 7, Float.NaN}, 4);
    ValuesAndIndices max = Max.apply(new Tape(), x, 0, false);
    assertTrue(Float.isNaN(max.values().value().item()));
    assertArrayEquals(new int[] {1}, max.indexArray());
    assertArrayEquals(new int[] {1}, Min.apply(new Tape(), x, 0, false).indexArray());
  }

  @Test
  void aScalarReducesOverDimensionZero() {
    ValuesAndIndices m = Max.apply(new Tape(), param("x", new float[] {2.5f}), 0, false);
    assertEquals(2.5f, m.values().value().item());
    assertArrayEquals(new int[] {0}, m.indexArray());
  }

  @Test
  void rejectsADimensionOutOfRangeNamingTheShape() {
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Max.apply(new Tape(), x, 2, false), "Max", "2",
        "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Min.apply(new Tape(), x, -3, true), "Min", "-3",
        "[2, 3]");
  }
}
