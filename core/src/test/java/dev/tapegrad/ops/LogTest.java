package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** {@link Log} on values worked out by hand: the forward, and the backward from the seed [1, 2, 3]. */
class LogTest {

  private static final float[] SEED = {1, 2, 3};

  @Test
  void logHasDerivativeOneOverX() {
    Variable x = param("x", new float[] {1, 2, 4}, 3);
    AllClose.check("dX", new float[] {1, 1, 0.75f},
        unaryGradient(Log::apply, x, new float[] {0, (float) Math.log(2), (float) Math.log(4)}, SEED), 1e-7, 0);
  }
}
