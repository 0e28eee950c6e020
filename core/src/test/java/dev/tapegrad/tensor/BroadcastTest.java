package dev.tapegrad.tensor;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BroadcastTest {

  private static Shape shape(String dims) {
    return dims.isBlank() ? Shape.of() : Shape.of(java.util.Arrays.stream(dims.trim().split(" "))
        .mapToInt(Integer::parseInt).toArray());
  }

  @ParameterizedTest(name = "({0}) and ({1}) -> ({2})")
  @CsvSource({
      "2 3, 2 3, 2 3",
      "2 3, 3, 2 3",
      "3, 2 3, 2 3",
      "2 3, 2 1, 2 3",
      "2 1, 2 3, 2 3",
      "4 1, 1 3, 4 3",
      "1 3, 4 1, 4 3",
      "2 3, '', 2 3",
      "'', 2 3, 2 3",
      "'', '', ''",
      "1, 1 8, 1 8",
      "'', 1, 1",
      "4 1 3, 5 1, 4 5 3",
      "2 1 3 1, 1 4 1 5, 2 4 3 5",
      "0 3, 3, 0 3",
      "1, 0, 0",
      "2 0, 2 1, 2 0"})
  void broadcastsBothWaysAsNumPyDoes(String a, String b, String out) {
    assertEquals(shape(out), Broadcast.shape("Op", shape(a), shape(b)));
    assertEquals(shape(out), Broadcast.of("Op", shape(b), shape(a)).shape());
  }

  @Test
  void aZeroSizeResultHasNoRuns() {
    Broadcast bc = Broadcast.of("Add", Shape.of(0, 3), Shape.of(3));
    assertEquals(0, bc.size());
    assertEquals(0, bc.runs());
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Broadcast.of("Add", Shape.of(0), Shape.of(2)),
        "[0]", "[2]");
  }

  @Test
  void refusesShapesThatDoNotFitNamingBothAndTheDimension() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Broadcast.of("Add", Shape.of(2, 3), Shape.of(2)),
        "Add", "[2, 3]", "[2]", "dimension -1 is 3 against 2");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Broadcast.shape("Mul", Shape.of(4, 2, 3), Shape.of(5, 1)), "Mul", "[4, 2, 3]", "[5, 1]", "dimension -2");
  }

  @Test
  void equalShapesAreOneRun() {
    Broadcast bc = Broadcast.of("Op", Shape.of(2, 3, 4), Shape.of(2, 3, 4));
    assertEquals(1, bc.runs());
    assertEquals(24, bc.inner());
    assertEquals(1, bc.aStep());
    assertEquals(1, bc.bStep());
  }

  @Test
  void aRowBiasIsOneRunPerRowWithTheBiasStartingOverEachTime() {
    Broadcast bc = Broadcast.of("Op", Shape.of(3, 4), Shape.of(4));
    assertEquals(3, bc.runs());
    assertEquals(4, bc.inner());
    assertArrayEquals(new int[] {0, 4, 8}, bc.aOffsets());
    assertArrayEquals(new int[] {0, 0, 0}, bc.bOffsets());
    assertEquals(1, bc.bStep());
  }

  @Test
  void aColumnStaysOnOneElementPerRun() {
    Broadcast bc = Broadcast.of("Op", Shape.of(3, 1), Shape.of(3, 4));
    assertEquals(3, bc.runs());
    assertEquals(0, bc.aStep());
    assertArrayEquals(new int[] {0, 1, 2}, bc.aOffsets());
    assertArrayEquals(new int[] {0, 4, 8}, bc.bOffsets());
  }

  @Test
  void aScalarIsOneRunWithStepZero() {
    Broadcast bc = Broadcast.of("Op", Shape.of(2, 5), Shape.of());
    assertEquals(1, bc.runs());
    assertEquals(10, bc.inner());
    assertEquals(0, bc.bStep());
  }

  @Test
  void trailingSizeOneDimensionsDoNotShortenTheRuns() {
    Broadcast bc = Broadcast.of("Op", Shape.of(3, 4, 1), Shape.of(4, 1));
    assertEquals(3, bc.runs());
    assertEquals(4, bc.inner());
  }

  @Test
  void indexMapsMatchTheDefinitionOnRandomShapes() {
    // the definition: output index (i_0 … i_{r−1}) reads each operand at the same index, aligned
    // right, with 0 wherever the operand's dimension is 1
    SplittableRandom random = new SplittableRandom(13);
    for (int trial = 0; trial < 500; trial++) {
      int rank = random.nextInt(0, 5);
      int[] out = random.ints(rank, 1, 4).toArray();
      Shape a = operand(out, random);
      Shape b = operand(out, random);
      Broadcast bc = Broadcast.of("Op", a, b);
      assertEquals(bc.shape().size(), bc.size());
      int[] dims = bc.shape().dims();
      int[] index = new int[dims.length];
      for (int i = 0; i < bc.size(); i++) {
        assertEquals(flat(a, index), bc.a(i), a + " and " + b + " at " + i);
        assertEquals(flat(b, index), bc.b(i), a + " and " + b + " at " + i);
        for (int d = dims.length - 1; d >= 0 && ++index[d] == dims[d]; d--) {
          index[d] = 0;
        }
      }
    }
  }

  /** A random operand that broadcasts to {@code out}: a suffix of it, some dimensions set to 1. */
  private static Shape operand(int[] out, SplittableRandom random) {
    int rank = random.nextInt(0, out.length + 1);
    int[] dims = new int[rank];
    for (int d = 0; d < rank; d++) {
      dims[d] = random.nextInt(3) == 0 ? 1 : out[out.length - rank + d];
    }
    return Shape.of(dims);
  }

  /** The operand's flat index for an output index, by the definition. */
  private static int flat(Shape s, int[] outIndex) {
    int offset = 0;
    int stride = 1;
    for (int d = 1; d <= s.rank(); d++) {
      int size = s.dim(-d);
      offset += (size == 1 ? 0 : outIndex[outIndex.length - d]) * stride;
      stride *= size;
    }
    return offset;
  }
}
