package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** {@link Neg} on values worked out by hand: the forward, and the backward from the seed [1, 2, 3]. */
class NegTest {

  private static final float[] SEED = {1, 2, 3};

  @Test
  void negFlipsTheSignBothWays() {
    Variable x = param("x", new float[] {1, -2, 0}, 3);
    AllClose.check("dX", new float[] {-1, -2, -3}, unaryGradient(Neg::apply, x, new float[] {-1, 2, 0}, SEED), 0, 0);
  }
}
