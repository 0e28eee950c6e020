package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** {@link Exp} on values worked out by hand: the forward, and the backward from the seed [1, 2, 3]. */
class ExpTest {

  private static final float[] SEED = {1, 2, 3};

  @Test
  void expIsItsOwnDerivative() {
    Variable x = param("x", new float[] {0, 1, -1}, 3);
    double e = Math.E;
    AllClose.check("dX", new double[] {1, 2 * e, 3 / e},
        unaryGradient(Exp::apply, x, new float[] {1, (float) e, (float) (1 / e)}, SEED), 1e-6, 0);
  }
}
