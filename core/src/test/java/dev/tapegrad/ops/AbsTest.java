package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;

import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class AbsTest {

  @Test
  void gradientIsTheSignAndZeroAtZero() {
    // |x| for [−2, 0, 3, −0.5]; d|x|/dx = sign(x), 0 at the kink (PyTorch's sgn), times dOut = [1, 5, 2, 4]
    float[] dX = unaryGradient(Abs::apply, param("x", new float[] {-2, 0, 3, -0.5f}, 4), new float[] {2, 0, 3, 0.5f},
        1, 5, 2, 4);
    AllClose.check("dX", new float[] {-1, 0, 2, -4}, dX, 0, 0);
  }
}
