package dev.tapegrad.tensor;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class IntTensorTest {

  @Test
  void holdsIndicesRowMajorInAShape() {
    IntTensor t = IntTensor.of(new int[] {3, 1, 4, 1, 5, 9}, 2, 3);
    assertEquals(Shape.of(2, 3), t.shape());
    assertEquals(9, t.get(1, 2));
    assertEquals(1, t.get(0, 1));
    assertEquals(Shape.of(4), IntTensor.of(new int[] {0, 1, 2, 3}).shape());
    assertEquals(Shape.of(), IntTensor.scalar(7).shape());
    assertEquals(7, IntTensor.scalar(7).get());
  }

  @Test
  void isImmutableCopyingOnTheWayInAndOut() {
    int[] values = {1, 2};
    IntTensor t = IntTensor.of(values);
    values[0] = 9;
    t.toArray()[1] = 9;
    assertArrayEquals(new int[] {1, 2}, t.toArray());
  }

  @Test
  void rejectsAShapeTheValuesDoNotFillAndACoordinateOutOfRange() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> IntTensor.of(new int[3], 2, 2), "3", "[2, 2]");
    assertThrows(IndexOutOfBoundsException.class, () -> IntTensor.of(new int[2], 2).get(2));
  }
}
