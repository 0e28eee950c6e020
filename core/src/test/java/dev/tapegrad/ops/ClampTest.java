package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class ClampTest {

  private static final float[] X = {-2, -1, 0, 1, 2};

  @Test
  void clipsAndPassesTheGradientInsideTheBoundsInclusive() {
    // clamp to [−1, 1]: the bounds themselves still pass the gradient (PyTorch's rule), −2 and 2 do not
    float[] dX = unaryGradient((tape, x) -> Clamp.apply(tape, x, -1, 1), param("x", X, 5),
        new float[] {-1, -1, 0, 1, 1}, 1, 1, 1, 1, 1);
    AllClose.check("dX", new float[] {0, 1, 1, 1, 0}, dX, 0, 0);
  }

  @Test
  void eitherBoundIsOptional() {
    AllClose.check("clamp_min", new float[] {0, 0, 0, 1, 2}, Clamp.min(new Tape(), param("x", X, 5), 0).value()
        .data(), 0, 0);
    AllClose.check("clamp_max", new float[] {-2, -1, 0, 0.5f, 0.5f}, Clamp.max(new Tape(), param("x", X, 5), 0.5f)
        .value().data(), 0, 0);
  }

  @Test
  void aLowerBoundAboveTheUpperGivesTheUpperEverywhereAndNoGradient() {
    // min(max(x, 3), 1) = 1; no x satisfies 3 ≤ x ≤ 1
    float[] dX = unaryGradient((tape, x) -> Clamp.apply(tape, x, 3, 1), param("x", X, 5), new float[] {1, 1, 1, 1, 1},
        1, 1, 1, 1, 1);
    AllClose.check("dX", new float[] {0, 0, 0, 0, 0}, dX, 0, 0);
  }
}
