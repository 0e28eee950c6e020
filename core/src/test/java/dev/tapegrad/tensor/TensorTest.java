package dev.tapegrad.tensor;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void ofCopiesValuesAndIndexesThemRowMajor() {
    float[] values = {1, 2, 3, 4, 5, 6};
    Tensor t = Tensor.of(values, 2, 3);
    values[0] = 99;
    assertEquals(Shape.of(2, 3), t.shape());
    // row-major: element (r, c) sits at r · 3 + c
    assertEquals(1f, t.get(0, 0));
    assertEquals(2f, t.get(0, 1));
    assertEquals(4f, t.get(1, 0));
    assertEquals(6f, t.get(1, 2));
  }

  @Test
  void ofWithoutDimensionsMakesAVector() {
    Tensor t = Tensor.of(new float[] {1, 2, 3});
    assertEquals(Shape.of(3), t.shape());
    assertEquals(1, t.rank());
    assertEquals(3, t.dim(-1));
  }

  @Test
  void ofRejectsValuesThatDoNotFillTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "5 values",
        "[2, 3]");
  }

  @Test
  void wrapSharesTheGivenStorage() {
    float[] values = {1, 2};
    Tensor t = Tensor.wrap(values, Shape.of(2));
    assertSame(values, t.data());
    values[1] = 7;
    assertEquals(7f, t.get(1));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Tensor.wrap(new float[3], Shape.of(2)), "3 values",
        "[2]");
  }

  @Test
  void factoriesFillTheRequestedValues() {
    assertArrayEquals(new float[6], Tensor.zeros(2, 3).toArray());
    assertEquals(Shape.of(2, 3), Tensor.zeros(Shape.of(2, 3)).shape());
    assertArrayEquals(new float[] {1.5f, 1.5f, 1.5f}, Tensor.full(1.5f, 3).toArray());
    Tensor s = Tensor.scalar(4f);
    assertEquals(0, s.rank());
    assertEquals(4f, s.item());
  }

  @Test
  void uniformIsReproducibleFromTheSeedAndStaysInRange() {
    Tensor a = Tensor.uniform(new SplittableRandom(42), -0.5f, 0.5f, 10, 10);
    Tensor b = Tensor.uniform(new SplittableRandom(42), -0.5f, 0.5f, 10, 10);
    assertArrayEquals(a.toArray(), b.toArray());
    for (float v : a.data()) {
      assertTrue(v >= -0.5f && v < 0.5f, () -> "value " + v + " outside [-0.5, 0.5)");
    }
  }

  @Test
  void randnIsReproducibleFromTheSeedWithTheRequestedMoments() {
    Tensor a = Tensor.randn(new SplittableRandom(7), 3f, 2f, 100, 100);
    Tensor b = Tensor.randn(new SplittableRandom(7), 3f, 2f, 100, 100);
    assertArrayEquals(a.toArray(), b.toArray());
    double sum = 0;
    double sumSquares = 0;
    for (float v : a.data()) {
      sum += v;
      sumSquares += (double) v * v;
    }
    double mean = sum / a.size();
    double std = Math.sqrt(sumSquares / a.size() - mean * mean);
    // 10^4 samples: the standard error of the mean is 2 / 100 = 0.02, so 0.1 is five of them.
    assertEquals(3.0, mean, 0.1);
    assertEquals(2.0, std, 0.1);
  }

  @Test
  void doubleArgumentsCompileAndAreRoundedToFloat() {
    assertArrayEquals(new float[] {0.1f, 0.1f}, Tensor.full(0.1, 2).toArray());
    assertEquals(2.5f, Tensor.scalar(2.5).item());
    assertArrayEquals(Tensor.uniform(new SplittableRandom(3), -0.5f, 0.5f, 4).toArray(),
        Tensor.uniform(new SplittableRandom(3), -0.5, 0.5, 4).toArray());
    assertArrayEquals(Tensor.randn(new SplittableRandom(4), 0f, 0.02f, 4).toArray(),
        Tensor.randn(new SplittableRandom(4), 0.0, 0.02, 4).toArray());
    Tensor t = Tensor.zeros(2);
    t.set(0.3, 1);
    assertEquals(0.3f, t.get(1));
    assertEquals(1, t.version());
  }

  @Test
  void randomFactoriesRequireAGenerator() {
    assertThrows(NullPointerException.class, () -> Tensor.uniform(null, 0f, 1f, 2));
    assertThrows(NullPointerException.class, () -> Tensor.randn(null, 0f, 1f, 2));
  }

  @Test
  void dataIsTheLiveStorageAndToArrayACopy() {
    Tensor t = Tensor.of(new float[] {1, 2}, 2);
    t.data()[0] = 5;
    assertEquals(5f, t.get(0));
    float[] copy = t.toArray();
    copy[1] = 9;
    assertEquals(2f, t.get(1));
  }

  @Test
  void setWritesOneElement() {
    Tensor t = Tensor.zeros(2, 2);
    t.set(3f, 1, 0);
    // (1, 0) is flat index 1 · 2 + 0 = 2
    assertArrayEquals(new float[] {0, 0, 3, 0}, t.toArray());
  }

  @Test
  void indexingRejectsOutOfRangeAndWrongRank() {
    Tensor t = Tensor.zeros(2, 3);
    assertThrowsWithMessage(IndexOutOfBoundsException.class, () -> t.get(2, 0), "[2, 0]", "[2, 3]");
    assertThrowsWithMessage(IndexOutOfBoundsException.class, () -> t.get(0, -1), "[0, -1]", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> t.get(1), "[1]", "[2, 3]");
  }

  @Test
  void itemNeedsExactlyOneElement() {
    assertEquals(2f, Tensor.of(new float[] {2f}, 1, 1).item());
    assertThrowsWithMessage(IllegalStateException.class, () -> Tensor.zeros(2).item(), "[2]");
  }

  @Test
  void reshapeSharesStorageAndKeepsTheOriginalShape() {
    Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor r = t.reshape(3, 2);
    assertSame(t.data(), r.data());
    assertEquals(Shape.of(3, 2), r.shape());
    assertEquals(Shape.of(2, 3), t.shape());
    // flat index 3 is (1, 0) in [2, 3] and (1, 1) in [3, 2]
    r.set(40f, 1, 1);
    assertEquals(40f, t.get(1, 0));
  }

  @Test
  void reshapeRejectsADifferentElementCountNamingBothShapes() {
    Tensor t = Tensor.zeros(2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> t.reshape(4, 2), "[2, 3]", "[4, 2]");
  }

  @Test
  void reshapeInfersOneMinusOne() {
    Tensor t = Tensor.zeros(2, 3, 4);
    assertEquals(Shape.of(6, 4), t.reshape(-1, 4).shape());
    assertEquals(Shape.of(24), t.reshape(-1).shape());
    assertThrowsWithMessage(IllegalArgumentException.class, () -> t.reshape(5, -1), "[2, 3, 4]", "[5, -1]");
  }

  @Test
  void aTensorMayHaveNoElements() {
    Tensor t = Tensor.zeros(0, 3);
    assertEquals(0, t.size());
    assertEquals(Shape.of(3, 0), t.reshape(3, 0).shape());
  }

  @Test
  void copyIsDeep() {
    Tensor t = Tensor.of(new float[] {1, 2}, 2);
    Tensor c = t.copy();
    assertNotSame(t.data(), c.data());
    c.data()[0] = 9;
    assertEquals(1f, t.get(0));
    assertEquals(t.shape(), c.shape());
  }

  @Test
  void fillZeroAndCopyFromOverwriteInPlace() {
    Tensor t = Tensor.of(new float[] {1, 2}, 2);
    float[] storage = t.data();
    t.fillZero();
    assertArrayEquals(new float[] {0, 0}, t.toArray());
    t.copyFrom(Tensor.of(new float[] {3, 4}, 2));
    assertArrayEquals(new float[] {3, 4}, t.toArray());
    assertSame(storage, t.data());
  }

  @Test
  void copyFromRejectsAnotherShapeNamingBoth() {
    Tensor t = Tensor.zeros(2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> t.copyFrom(Tensor.zeros(3, 2)), "[3, 2]",
        "[2, 3]");
  }

  @Test
  void isFiniteDetectsNanAndInfinities() {
    assertTrue(Tensor.of(new float[] {0, -1e30f, Float.MAX_VALUE}).isFinite());
    assertFalse(Tensor.of(new float[] {0, Float.NaN}).isFinite());
    assertFalse(Tensor.of(new float[] {Float.POSITIVE_INFINITY}).isFinite());
    assertFalse(Tensor.of(new float[] {Float.NEGATIVE_INFINITY}).isFinite());
  }

  @Test
  void toStringShowsTheShapeAndOnlySmallValues() {
    assertEquals("Tensor[2][1.0, 2.0]", Tensor.of(new float[] {1, 2}, 2).toString());
    assertEquals("Tensor[17]", Tensor.zeros(17).toString());
  }

  @Test
  void everyInPlaceChangeCountsAsANewVersionSharedWithViews() {
    Tensor t = Tensor.zeros(2, 2);
    Tensor view = t.reshape(4);
    assertEquals(0, t.version());
    t.set(1f, 0, 0);
    t.copyFrom(Tensor.zeros(2, 2));
    t.fillZero();
    view.data()[3] = 2f;
    view.markModified();
    assertEquals(4, t.version());
    assertEquals(4, view.version());
    assertEquals(0, t.copy().version(), "a copy has storage of its own");
    t.get(0, 0);
    t.data();
    assertEquals(4, t.version(), "reading changes nothing");
  }
}
