package dev.tapegrad.tensor;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AllCloseTest {

  @Test
  void acceptsDifferencesWithinAtolPlusRtolTimesExpected() {
    // index 1: |100.00005 − 100| = 5e-5 ≤ 1e-6 + 1e-6 · 100 = 1.01e-4
    assertDoesNotThrow(() -> AllClose.check("x", new float[] {1f, 100f}, new float[] {1f, 100.00005f}, 1e-6, 1e-6));
    // the bound is inclusive: |1.5 − 1| = 0.5 = 0 + 0.5 · 1
    assertDoesNotThrow(() -> AllClose.check("x", new double[] {1.0}, new float[] {1.5f}, 0.5, 0));
  }

  @Test
  void failureNamesTheWorstElementItsIndexAndBothValues() {
    // excess over atol 0.01: index 1 is 0.5 / 0.01 = 50, index 2 is 0.1 / 0.01 ≈ 10; index 1 is worst
    AssertionError e = assertThrows(AssertionError.class,
        () -> AllClose.check("logits", new float[] {1f, 2f, 3f}, new float[] {1f, 2.5f, 3.1f}, 0, 0.01));
    String m = e.getMessage();
    assertTrue(m.startsWith("logits: 2 of 3 elements not close"), m);
    assertTrue(m.contains("worst at index 1"), m);
    assertTrue(m.contains("expected 2.00000000"), m);
    assertTrue(m.contains("actual 2.50000000"), m);
  }

  @Test
  void nanIsNeverClose() {
    assertThrowsWithMessage(AssertionError.class,
        () -> AllClose.check("x", new float[] {1f, 2f}, new float[] {1f, Float.NaN}, 1, 1), "index 1");
    assertThrows(AssertionError.class,
        () -> AllClose.check("x", new float[] {Float.NaN}, new float[] {Float.NaN}, 1, 1));
  }

  @Test
  void differentLengthsFail() {
    assertThrowsWithMessage(AssertionError.class,
        () -> AllClose.check("grad", new float[] {1f, 2f}, new float[] {1f}, 1, 1), "grad", "expected 2 values, got 1");
  }

  @Test
  void maxRelativeErrorDividesByTheLargerMagnitudeOrTheFloor() {
    // |1 − 1.1| / 1.1 = 0.0909…; |0 − 1e-9| / max(1e-3, 1e-9) = 1e-6
    double rel = AllClose.maxRelativeError(new float[] {1f, 0f}, new float[] {1.1f, 1e-9f}, 1e-3);
    assertEquals(0.1 / 1.1, rel, 1e-6);
    // both near zero: the floor makes the comparison absolute, 1e-9 / 1e-3 = 1e-6
    assertEquals(1e-6, AllClose.maxRelativeError(new float[] {0f}, new float[] {1e-9f}, 1e-3), 1e-12);
  }

  @Test
  void maxRelativeErrorIsInfiniteForNanAndRejectsLengthMismatch() {
    assertEquals(Double.POSITIVE_INFINITY, AllClose.maxRelativeError(new float[] {1f}, new float[] {Float.NaN}, 1e-3));
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> AllClose.maxRelativeError(new float[] {1f}, new float[] {1f, 2f}, 1e-3), "1 vs 2");
  }
}
