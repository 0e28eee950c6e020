package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static dev.tapegrad.testing.TestValues.unaryGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/**
 * GELU against values of {@code x Φ(x)} and its derivative {@code Φ(x) + x φ(x)} computed from an
 * independent erf (Python's {@code math.erfc}), and the same for the tanh form.
 */
class GeluTest {

  private static final float[] X = {-3, -1, 0, 0.5f, 1, 2};

  @Test
  void exactFormIsXTimesTheNormalCdf() {
    float[] dX = unaryGradient(Gelu::apply, param("x", X, 6),
        new float[] {-0.004049694094890287f, -0.15865525393145707f, 0, 0.34573123063700656f, 0.8413447460685429f,
            1.9544997361036416f}, 1, 1, 1, 1, 1, 1);
    AllClose.check("dX", new float[] {-0.011945647204183927f, -0.08331547058768629f, 0.5f, 0.8674951246561629f,
        1.0833154705876864f, 1.085231801078197f}, dX, 1e-6, 1e-7);
  }

  @Test
  void tanhFormMatchesItsFormula() {
    float[] dX = unaryGradient((tape, x) -> Gelu.apply(tape, x, Gelu.TANH), param("x", new float[] {-1, 0.5f, 1, 2},
        4), new float[] {-0.15880800939172324f, 0.34571400982514394f, 0.8411919906082768f, 1.954597694087775f}, 1, 1,
        1, 1);
    AllClose.check("dX", new float[] {-0.08296408384578255f, 0.8673699035346424f, 1.0829640838457826f,
        1.0860992566236183f}, dX, 1e-6, 1e-7);
  }

  @Test
  void theFarNegativeTailStaysAccurate() {
    // GELU(−6) = −6 Φ(−6) ≈ −5.9195e-9: PyTorch's float formula rounds it to 0
    Variable y = Gelu.apply(new Tape(), param("x", new float[] {-6}, 1));
    assertEquals(-5.919525870226207e-09f, y.value().data()[0], 1e-15f);
  }

  @Test
  void rejectsAnUnknownApproximation() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Gelu.apply(new Tape(), param("x", new float[] {1}, 1), "erf"), "Gelu", "none", "tanh", "erf");
  }
}
