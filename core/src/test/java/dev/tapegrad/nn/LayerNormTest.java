package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerNormTest {

  @Test
  void startsWithWeightOnesAndBiasZerosNamedAsPyTorch() {
    LayerNorm ln = LayerNorm.create(2, 3);
    assertEquals(List.of("weight", "bias"), List.copyOf(ln.namedParameters().keySet()));
    assertArrayEquals(new int[] {2, 3}, ln.weight().shape().dims());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, ln.weight().value().data());
    assertArrayEquals(new float[6], ln.bias().value().data());
    assertEquals(1e-5f, ln.eps());
  }

  @Test
  void hasNoParametersWithoutElementwiseAffine() {
    LayerNorm ln = LayerNorm.create(new int[] {4}, 1e-5f, false);
    assertEquals(0, ln.namedParameters().size());
    assertNull(ln.weight());
    assertNull(ln.bias());
  }

  @Test
  void normalisesEveryPositionOfASequence() {
    // x (1, 2, 2): positions [1, 3] and [−2, 2]; each becomes [−1, 1] up to eps:
    // σ² = 1 and 4, so out = ±1/√(1 + 1e-5) and ±2/√(4 + 1e-5)
    LayerNorm ln = LayerNorm.create(2);
    Variable x = Variable.constant(Tensor.of(new float[] {1, 3, -2, 2}, 1, 2, 2));
    Variable y = ln.forward(new Tape(), x);
    float a = (float) (1 / Math.sqrt(1 + 1e-5));
    float b = (float) (2 / Math.sqrt(4 + 1e-5));
    AllClose.check("y", new float[] {-a, a, -b, b}, y.value().data(), 1e-6, 1e-6);
  }

  @Test
  void rejectsAnEmptyShapeAndANegativeEps() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> LayerNorm.create(), "LayerNorm", "normalizedShape");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> LayerNorm.create(new int[] {3}, -1e-5f, true),
        "LayerNorm", "eps");
  }
}
