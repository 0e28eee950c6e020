package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** {@link Relu} on values worked out by hand: the forward, and the backward from the seed [1, 2, 3]. */
class ReluTest {

  private static final float[] SEED = {1, 2, 3};

  @Test
  void reluPassesTheGradientWherePositiveOnlyAndNotAtZero() {
    Variable x = param("x", new float[] {-2, 0, 3}, 3);
    AllClose.check("dX", new float[] {0, 0, 3}, unaryGradient(Relu::apply, x, new float[] {0, 0, 3}, SEED), 0, 0);
  }
}
