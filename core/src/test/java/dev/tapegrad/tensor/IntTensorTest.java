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

  @Test
  void readsWholeNumbersFromAFloatTensorInItsShapeAndGoesBack() {
    Tensor floats = Tensor.of(new float[] {2, 0, -1, 5, -0f, 7}, 3, 1, 2);
    IntTensor t = IntTensor.of(floats);
    assertEquals(Shape.of(3, 1, 2), t.shape());
    assertArrayEquals(new int[] {2, 0, -1, 5, 0, 7}, t.toArray());
    Tensor back = t.toTensor();
    assertEquals(Shape.of(3, 1, 2), back.shape());
    assertArrayEquals(new float[] {2, 0, -1, 5, 0, 7}, back.toArray());
    assertEquals(Shape.of(), IntTensor.of(Tensor.scalar(3f)).shape());
  }

  @Test
  void refusesAFloatTensorThatIsNotWholeNumbersNamingTheElement() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> IntTensor.of(Tensor.of(new float[] {1, 2.5f}, 2)), "element 1", "2.5", "[2]");
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p31f, -0x1p32f}) {
      assertThrowsWithMessage(IllegalArgumentException.class,
          () -> IntTensor.of(Tensor.of(new float[] {0, bad}, 2)), "element 1", String.valueOf(bad));
    }
    // the ends of the int range that a float holds exactly are accepted
    assertArrayEquals(new int[] {Integer.MIN_VALUE, 0x7fffff80},
        IntTensor.of(Tensor.of(new float[] {-0x1p31f, 0x1.fffffep30f}, 2)).toArray());
  }
}
