package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** {@link Pow} on values worked out by hand: the forward, and the backward from the seed [1, 2, 3]. */
class PowTest {

  private static final float[] SEED = {1, 2, 3};

  @Test
  void powWithAConstantExponent() {
    Variable x = param("x", new float[] {1, 2, 3}, 3);
    // x³: 3x², times the seed: 3, 24, 81
    AllClose.check("dX", new float[] {3, 24, 81}, unaryGradient((t, v) -> Pow.apply(t, v, 3f), x,
        new float[] {1, 8, 27}, SEED), 1e-7, 0);
    // x^0 = 1 with derivative 0, also at 0
    Variable z = param("z", new float[] {0, 2, -1}, 3);
    AllClose.check("dZ", new float[] {0, 0, 0}, unaryGradient((t, v) -> Pow.apply(t, v, 0f), z,
        new float[] {1, 1, 1}, SEED), 0, 0);
    // x^−1: −1/x²
    Variable w = param("w", new float[] {1, 2, 4}, 3);
    AllClose.check("dW", new float[] {-1, -0.5f, -0.1875f}, unaryGradient((t, v) -> Pow.apply(t, v, -1f), w,
        new float[] {1, 0.5f, 0.25f}, SEED), 1e-7, 0);
  }
}
