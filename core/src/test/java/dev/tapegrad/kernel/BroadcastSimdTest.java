package dev.tapegrad.kernel;

import dev.tapegrad.tensor.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BroadcastSimd} against {@link BroadcastKernels}: the forwards and the accumulation into an
 * operand that moves with the output bitwise, the sum into a broadcast operand within the rounding
 * bound of a float sum. Shapes cover both operands broadcast, runs shorter and longer than a
 * vector, and tails.
 */
class BroadcastSimdTest {

  @ParameterizedTest(name = "{0} and {1}")
  @CsvSource({
      "37, 37", "5 37, 37", "37, 5 37", "5 37, 5 1", "5 1, 5 37", "7 1, 1 19", "1 19, 7 1", "3 37, ''",
      "'', 3 37", "2 3 1 21, 3 5 1", "1, 1", "4 3, 3", "2 2 64, 2 1 64", "64 1, 64 64", "3 70, 70"})
  void fastPathEqualsReference(String aDims, String bDims) {
    Shape a = shape(aDims);
    Shape b = shape(bDims);
    KernelAsserts.assertBroadcastKernelsMatch(a, b, new SplittableRandom(31L * a.size() + b.size()));
  }

  private static Shape shape(String dims) {
    return dims.isBlank() ? Shape.of() : Shape.of(java.util.Arrays.stream(dims.trim().split(" "))
        .mapToInt(Integer::parseInt).toArray());
  }
}
