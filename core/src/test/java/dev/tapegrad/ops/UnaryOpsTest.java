package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/**
 * Relu, Exp, Log, Neg, Sqrt and Pow on values worked out by hand: each forward, and each backward
 * from the seed {@code dOut = [1, 2, 3]}.
 */
class UnaryOpsTest {

  private static final float[] SEED = {1, 2, 3};

  /** Runs op on x and back-propagates {@link #SEED}; returns dX. */
  private static float[] gradient(java.util.function.BiFunction<Tape, Variable, Variable> op, Variable x,
      float[] expectedOut) {
    Tape tape = new Tape();
    Variable out = op.apply(tape, x);
    AllClose.check("out", expectedOut, out.value().data(), 1e-6, 1e-7);
    backward(tape, out, SEED);
    return x.grad().data();
  }

  @Test
  void reluPassesTheGradientWherePositiveOnlyAndNotAtZero() {
    Variable x = param("x", new float[] {-2, 0, 3}, 3);
    AllClose.check("dX", new float[] {0, 0, 3}, gradient(Relu::apply, x, new float[] {0, 0, 3}), 0, 0);
  }

  @Test
  void expIsItsOwnDerivative() {
    Variable x = param("x", new float[] {0, 1, -1}, 3);
    double e = Math.E;
    AllClose.check("dX", new double[] {1, 2 * e, 3 / e},
        gradient(Exp::apply, x, new float[] {1, (float) e, (float) (1 / e)}), 1e-6, 0);
  }

  @Test
  void logHasDerivativeOneOverX() {
    Variable x = param("x", new float[] {1, 2, 4}, 3);
    AllClose.check("dX", new float[] {1, 1, 0.75f},
        gradient(Log::apply, x, new float[] {0, (float) Math.log(2), (float) Math.log(4)}), 1e-7, 0);
  }

  @Test
  void negFlipsTheSignBothWays() {
    Variable x = param("x", new float[] {1, -2, 0}, 3);
    AllClose.check("dX", new float[] {-1, -2, -3}, gradient(Neg::apply, x, new float[] {-1, 2, 0}), 0, 0);
  }

  @Test
  void sqrtHasDerivativeOneOverTwiceTheRoot() {
    Variable x = param("x", new float[] {1, 4, 9}, 3);
    // 1/(2·1), 2/(2·2), 3/(2·3)
    AllClose.check("dX", new float[] {0.5f, 0.5f, 0.5f}, gradient(Sqrt::apply, x, new float[] {1, 2, 3}), 0, 0);
  }

  @Test
  void powWithAConstantExponent() {
    Variable x = param("x", new float[] {1, 2, 3}, 3);
    // x³: 3x², times the seed: 3, 24, 81
    AllClose.check("dX", new float[] {3, 24, 81}, gradient((t, v) -> Pow.apply(t, v, 3f), x,
        new float[] {1, 8, 27}), 1e-7, 0);
    // x^0 = 1 with derivative 0, also at 0
    Variable z = param("z", new float[] {0, 2, -1}, 3);
    AllClose.check("dZ", new float[] {0, 0, 0}, gradient((t, v) -> Pow.apply(t, v, 0f), z,
        new float[] {1, 1, 1}), 0, 0);
    // x^−1: −1/x²
    Variable w = param("w", new float[] {1, 2, 4}, 3);
    AllClose.check("dW", new float[] {-1, -0.5f, -0.1875f}, gradient((t, v) -> Pow.apply(t, v, -1f), w,
        new float[] {1, 0.5f, 0.25f}), 1e-7, 0);
  }
}
