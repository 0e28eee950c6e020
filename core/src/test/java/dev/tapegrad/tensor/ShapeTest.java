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
  void rejectsDimensionBelowOneNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.of(2, 0), "[2, 0]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Shape.of(-1), "[-1]");
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
