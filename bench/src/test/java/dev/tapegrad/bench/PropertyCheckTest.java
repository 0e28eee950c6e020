package dev.tapegrad.bench;

import static dev.tapegrad.bench.PropertyCheck.forAllWithSeed;
import static dev.tapegrad.bench.PropertyCheck.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests of the runner itself, with fixed seeds that {@value PropertyCheck#SEED_PROPERTY} does not override. */
class PropertyCheckTest {

  private static final List<PropertyCheck.Param> AB = List.of(param("a", 1, 8), param("b", 1, 8));

  @Test
  void firstCaseIsAllMinimaAndSecondAllMaxima() {
    List<String> seen = new ArrayList<>();
    forAllWithSeed(1L, 3, AB, c -> seen.add(c.get("a") + "," + c.get("b")));
    assertEquals(3, seen.size());
    assertEquals("1,1", seen.get(0));
    assertEquals("8,8", seen.get(1));
  }

  @Test
  void theSameSeedDrawsTheSameCases() {
    assertEquals(cases(42L), cases(42L));
    assertNotEquals(cases(42L), cases(43L));
  }

  @Test
  void drawnValuesStayInTheirRanges() {
    forAllWithSeed(7L, 200, AB, c -> {
      assertTrue(c.get("a") >= 1 && c.get("a") <= 8);
      assertTrue(c.get("b") >= 1 && c.get("b") <= 8);
    });
  }

  @Test
  void shrinksAFailureToASmallCaseThatStillFails() {
    // a · b ≥ 6 fails first at the all-maximum case (8, 8). Greedy shrinking: a → 1 (1 · 8 still
    // fails); b: 1 and 4 pass, 7 fails; then 6 fails; then 1, 3 and 5 pass. The value seed,
    // unused, goes to 0.
    AssertionError e = assertThrows(AssertionError.class, () -> forAllWithSeed(5L, 10, AB, c -> {
      if (c.get("a") * c.get("b") >= 6) {
        throw new AssertionError("product " + c.get("a") * c.get("b"));
      }
    }));
    String m = e.getMessage();
    assertTrue(m.startsWith("property failed on try 2 of 10 (seed 5)"), m);
    assertTrue(m.contains("case:   a=8, b=8"), m);
    assertTrue(m.contains("shrunk: a=1, b=6, valueSeed=0"), m);
    assertTrue(m.contains("product 6"), m);
  }

  @Test
  void treatsRuntimeExceptionsAsFailures() {
    AssertionError e = assertThrows(AssertionError.class, () -> forAllWithSeed(5L, 10, AB, c -> {
      throw new IllegalStateException("boom");
    }));
    assertTrue(e.getMessage().contains("shrunk: a=1, b=1, valueSeed=0"), e.getMessage());
    assertTrue(e.getCause() instanceof IllegalStateException);
  }

  @Test
  void rejectsAnEmptyRangeAndAnUnknownParameter() {
    assertThrows(IllegalArgumentException.class, () -> param("x", 2, 1));
    AssertionError e = assertThrows(AssertionError.class, () -> forAllWithSeed(1L, 1, AB, c -> c.get("missing")));
    assertTrue(e.getMessage().contains("no parameter missing"), e.getMessage());
  }

  private static List<String> cases(long seed) {
    List<String> seen = new ArrayList<>();
    forAllWithSeed(seed, 20, AB, c -> seen.add(c.toString()));
    return seen;
  }
}
