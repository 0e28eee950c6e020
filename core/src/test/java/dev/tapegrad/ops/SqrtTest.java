package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** {@link Sqrt} on values worked out by hand: the forward, and the backward from the seed [1, 2, 3]. */
class SqrtTest {

  private static final float[] SEED = {1, 2, 3};

  @Test
  void sqrtHasDerivativeOneOverTwiceTheRoot() {
    Variable x = param("x", new float[] {1, 4, 9}, 3);
    // 1/(2·1), 2/(2·2), 3/(2·3)
    AllClose.check("dX", new float[] {0.5f, 0.5f, 0.5f},
        unaryGradient(Sqrt::apply, x, new float[] {1, 2, 3}, SEED), 0, 0);
  }
}
