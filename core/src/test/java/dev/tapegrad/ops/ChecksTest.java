package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class ChecksTest {

  @Test
  void requireRankNamesTheOpTheRoleAndTheShape() {
    Checks.requireRank("MyOp", "x", param("x", new float[6], 2, 3), 2);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Checks.requireRank("MyOp", "x", param("x", new float[3], 3), 2), "MyOp: x must be 2-D, got shape [3]");
  }

  @Test
  void dimCountsNegativeDimensionsFromTheEnd() {
    Shape s = Shape.of(2, 3, 4);
    assertEquals(2, Checks.dim("MyOp", s, -1));
    assertEquals(0, Checks.dim("MyOp", s, -3));
    assertEquals(1, Checks.dim("MyOp", s, 1));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Checks.dim("MyOp", s, 3), "MyOp", "dimension 3",
        "[2, 3, 4]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Checks.dim("MyOp", Shape.of(), -1), "[]");
  }
}
