package dev.tapegrad.bench;

import static dev.tapegrad.bench.PropertyCheck.forAll;
import static dev.tapegrad.bench.PropertyCheck.param;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.GradCheck;
import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sigmoid;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Shows that {@link GradCheck} with its default step and tolerances fails ops whose backward has
 * the mistakes people make: a wrong sign, a dropped term, a factor of two. Each broken op is
 * defined here with its forward and backward side by side, like the real ones.
 *
 * <p>Seeds are fixed per property, as in {@link OpGradientProperties}. Input magnitudes are drawn
 * from [0.5, 2] with a random sign, so every element's true gradient is well away from zero and a
 * wrong one is wrong by far more than the tolerance; GradCheck's fixed reduction weights start
 * with one of magnitude 0.46, so even the one-element case is decisive. Each property also checks
 * that the matching correct op passes on the same case, so a failure is due to the defect alone.
 */
class GradCheckDetectsBrokenOpsProperties {

  private static final int TRIES = 100;
  private static final List<PropertyCheck.Param> SHAPE = List.of(param("rows", 1, 4), param("cols", 1, 8));

  @Test
  void tanhWithTheWrongSignFails() {
    forAll(20261301L, TRIES, SHAPE, c -> {
      Variable x = awayFromZero("x", c.random(), c.get("rows"), c.get("cols"));
      assertTrue(check(tape -> Tanh.apply(tape, x), x).passed());
      assertFalse(check(tape -> tanhWithWrongSign(tape, x), x).passed());
    });
  }

  @Test
  void squareThatDropsAProductRuleTermFails() {
    forAll(20261302L, TRIES, SHAPE, c -> {
      Variable x = awayFromZero("x", c.random(), c.get("rows"), c.get("cols"));
      assertTrue(check(tape -> Mul.apply(tape, x, x), x).passed());
      assertFalse(check(tape -> squareDroppingOneTerm(tape, x), x).passed());
    });
  }

  @Test
  void sigmoidOffByAFactorOfTwoFails() {
    forAll(20261303L, TRIES, SHAPE, c -> {
      Variable x = awayFromZero("x", c.random(), c.get("rows"), c.get("cols"));
      assertTrue(check(tape -> Sigmoid.apply(tape, x), x).passed());
      assertFalse(check(tape -> sigmoidTwiceTooSteep(tape, x), x).passed());
    });
  }

  /** y = tanh(x), but backward accumulates −dOut (1 − y²): the sign is wrong. */
  private static Variable tanhWithWrongSign(Tape tape, Variable x) {
    float[] in = x.value().storage();
    Tensor y = Tensor.zeros(x.shape());
    for (int i = 0; i < in.length; i++) {
      y.storage()[i] = (float) Math.tanh(in[i]);
    }
    Variable out = tape.output("TanhWrongSign", y, x);
    if (out.requiresGrad()) {
      tape.record("TanhWrongSign", out, dOut -> {
        float[] dx = x.gradBuffer().storage();
        for (int i = 0; i < dx.length; i++) {
          // y = tanh(x)  ⇒  dX += dOut (1 − y²); this subtracts it instead
          dx[i] -= dOut.storage()[i] * (1f - y.storage()[i] * y.storage()[i]);
        }
      }, x);
    }
    return out;
  }

  /** y = x ⊙ x, but backward treats the second factor as a constant: dX += dOut · x, not 2x. */
  private static Variable squareDroppingOneTerm(Tape tape, Variable x) {
    float[] in = x.value().storage();
    Tensor y = Tensor.zeros(x.shape());
    for (int i = 0; i < in.length; i++) {
      y.storage()[i] = in[i] * in[i];
    }
    Variable out = tape.output("SquareDroppedTerm", y, x);
    if (out.requiresGrad()) {
      float[] saved = in.clone();
      tape.record("SquareDroppedTerm", out, dOut -> {
        float[] dx = x.gradBuffer().storage();
        for (int i = 0; i < dx.length; i++) {
          // y = x · x  ⇒  dX += dOut · x + dOut · x; only the first term is kept
          dx[i] += dOut.storage()[i] * saved[i];
        }
      }, x);
    }
    return out;
  }

  /** y = σ(x), but backward accumulates 2 · dOut · y (1 − y): a factor of two too much. */
  private static Variable sigmoidTwiceTooSteep(Tape tape, Variable x) {
    float[] in = x.value().storage();
    Tensor y = Tensor.zeros(x.shape());
    for (int i = 0; i < in.length; i++) {
      y.storage()[i] = (float) (1.0 / (1.0 + Math.exp(-in[i])));
    }
    Variable out = tape.output("SigmoidTimesTwo", y, x);
    if (out.requiresGrad()) {
      tape.record("SigmoidTimesTwo", out, dOut -> {
        float[] dx = x.gradBuffer().storage();
        for (int i = 0; i < dx.length; i++) {
          // y = σ(x)  ⇒  dX += dOut · y (1 − y); this adds twice that
          dx[i] += 2f * dOut.storage()[i] * y.storage()[i] * (1f - y.storage()[i]);
        }
      }, x);
    }
    return out;
  }

  private static GradCheck.Result check(Function<Tape, Variable> f, Variable x) {
    return GradCheck.check(f, List.of(x));
  }

  /** A parameter whose elements have magnitude in [0.5, 2) and a random sign. */
  private static Variable awayFromZero(String name, SplittableRandom r, int... dims) {
    Tensor t = Tensor.zeros(dims);
    for (int i = 0; i < t.size(); i++) {
      float magnitude = 0.5f + 1.5f * r.nextFloat();
      t.storage()[i] = r.nextBoolean() ? magnitude : -magnitude;
    }
    return Variable.parameter(name, t);
  }
}
