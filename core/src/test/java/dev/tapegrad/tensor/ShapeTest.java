package dev.tapegrad.tensor;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class ShapeTest {

  @Test
  void reportsRankSizeAndDimensions() {
    Shape s = Shape.of(2, 3);
    assertEquals(2, s.rank());
    // 2 · 3 = 6 elements
    assertEquals(6, s.size());
    assertEquals(2, s.dim(0));
    assertEquals(3, s.dim(1));
    assertArrayEquals(new int[] {2, 3}, s.dims());
  }

  @Test
  void negativeAxesCountFromTheEnd() {
    Shape s = Shape.of(4, 5, 6);
    assertEquals(6, s.dim(-1));
    assertEquals(5, s.dim(-2));
    assertEquals(4, s.dim(-3));
  }

  @Test
  void scalarHasNoDimensionsAndOneElement() {
    Shape s = Shape.of();
    assertEquals(0, s.rank());
    assertEquals(1, s.size());
    assertEquals("[]", s.toString());
  }

  @Test
  void copiesDimensionsOnTheWayInAndOut() {
    int[] dims = {2, 3};
    Shape s = new Shape(dims);
    dims[0] = 9;
    assertEquals(2, s.dim(0));
    s.dims()[1] = 9;
    assertEquals(3, s.dim(1));
  }

  @Test
  void equalShapesAreEqualByValueWithEqualHashCodes() {
    assertEquals(Shape.of(2, 3), Shape.of(2, 3));
    assertEquals(Shape.of(2, 3).hashCode(), Shape.of(2, 3).hashCode());
    assertNotEquals(Shape.of(2, 3), Shape.of(3, 2));
    assertNotEquals(Shape.of(6), Shape.of(2, 3));
  }

  @Test
  void printsLikePyTorch() {
    assertEquals("[2, 3]", Shape.of(2, 3).toString());
  }

  @Test
  void aZeroDimensionMakesAnEmptyShape() {
    Shape s = Shape.of(2, 0, 3);
    assertEquals(0, s.size());
    assertEquals(0, s.dim(1));
  }

  @Test
  void rejectsANegativeDimensionNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.of(2, -2), "[2, -2]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.of(-1), "[-1]");
  }

  @Test
  void inferredFillsInOneMinusOne() {
    // 6 elements as (2, -1) is (2, 3); (-1) is (6); 0 elements as (0, 3) needs no inference
    assertEquals(Shape.of(2, 3), Shape.inferred(6, 2, -1));
    assertEquals(Shape.of(6), Shape.inferred(6, -1));
    assertEquals(Shape.of(3, 1, 2), Shape.inferred(6, 3, -1, 2));
    assertEquals(Shape.of(0, 3), Shape.inferred(0, 0, 3));
  }

  @Test
  void inferredRejectsTwoMinusOnesAWrongCountAndAnAmbiguousOne() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.inferred(6, -1, -1), "more than one -1");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.inferred(6, 4, -1), "[4, -1]", "6");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.inferred(6, 4, 2), "[4, 2]", "6");
    // 0 elements as (0, −1): the −1 could be anything, as PyTorch says
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.inferred(0, 0, -1), "any size");
  }

  @Test
  void rejectsElementCountThatOverflowsAnInt() {
    // 65536 · 65536 = 2^32 > 2^31 − 1
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.of(65536, 65536), "[65536, 65536]");
  }

  @Test
  void rejectsAxisOutOfRangeNamingAxisAndShape() {
    Shape s = Shape.of(2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> s.dim(2), "axis 2", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> s.dim(-3), "axis -3", "[2, 3]");
  }
}
