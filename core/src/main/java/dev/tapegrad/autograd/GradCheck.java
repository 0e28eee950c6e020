package dev.tapegrad.autograd;

import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks an op's backward against central finite differences, like {@code torch.autograd.gradcheck}.
 *
 * <p>Given a function {@code f} of some variables, the checker reduces its output to a scalar with
 * fixed random weights, {@code L = Σ_i w_i f(x)_i} (so every output element is checked, not only
 * their sum), and compares for every input element {@code x_j}:
 *
 * <pre>
 *   analytic  dL/dx_j     from one tape backward seeded with w
 *   numeric   (L(x_j + h) − L(x_j − h)) / 2h
 * </pre>
 *
 * <p>An element passes when {@code |analytic − numeric| ≤ atol + rtol · max(|analytic|, |numeric|)}.
 * The step {@code h} is relative to each input's magnitude ({@code h = eps · max(1, |x_j|)}), and the
 * perturbed values are rounded to float first so the divisor is the step actually taken. {@code L} is
 * summed in double, which leaves the float rounding of {@code f}'s output as the main error:
 * about {@code 6e-8 · |L| / h}. With the defaults ({@code eps 1e-3}, {@code rtol 1e-2},
 * {@code atol 1e-3}) a wrong sign, a missing term or a factor of two is caught on the small
 * shapes the property tests use, while float rounding is not mistaken for a bug.
 *
 * <pre>{@code
 * Variable x = Variable.parameter("x", Tensor.uniform(new SplittableRandom(1), -1, 1, 3, 4));
 * GradCheck.Result r = GradCheck.check(tape -> Tanh.apply(tape, x), List.of(x));
 * r.orThrow();   // AssertionError describing the worst element if the gradient is wrong
 * }</pre>
 */
public final class GradCheck {

  /** Default relative finite-difference step. */
  public static final double DEFAULT_EPS = 1e-3;
  /** Default relative tolerance. */
  public static final double DEFAULT_RTOL = 1e-2;
  /** Default absolute tolerance. */
  public static final double DEFAULT_ATOL = 1e-3;

  private GradCheck() {}

  /**
   * The outcome of a check: the worst element found.
   *
   * @param passed whether every element was within tolerance
   * @param input the name of the input holding the worst element
   * @param index the worst element's flat index in that input
   * @param analytic the gradient that backward computed there
   * @param numeric the finite-difference gradient there
   * @param elementsChecked how many input elements were perturbed
   */
  public record Result(boolean passed, String input, int index, double analytic, double numeric, int elementsChecked) {

    /**
     * Returns this result if it passed.
     *
     * @return this result
     * @throws AssertionError describing the worst element otherwise
     */
    public Result orThrow() {
      if (!passed) {
        throw new AssertionError(toString());
      }
      return this;
    }

    @Override
    public String toString() {
      return String.format("gradient check %s: worst at %s[%d]: analytic %.6g, numeric %.6g (%d elements checked)",
          passed ? "passed" : "FAILED", input, index, analytic, numeric, elementsChecked);
    }
  }

  /**
   * Checks with the default step and tolerances.
   *
   * @param f builds the output from the inputs, recording on the tape it is given
   * @param inputs the variables to differentiate with respect to (each must need a gradient)
   * @return the result
   */
  public static Result check(Function<Tape, Variable> f, List<Variable> inputs) {
    return check(f, inputs, DEFAULT_EPS, DEFAULT_RTOL, DEFAULT_ATOL, 0x7A9E6AADL);
  }

  /**
   * Checks with an explicit step, tolerances and seed for the reduction weights.
   *
   * @param f builds the output from the inputs, recording on the tape it is given; it must be
   *     deterministic
   * @param inputs the variables to differentiate with respect to
   * @param eps the finite-difference step, relative to each element's magnitude
   * @param rtol relative tolerance
   * @param atol absolute tolerance
   * @param seed seed of the random weights that reduce the output to a scalar
   * @return the result
   */
  public static Result check(Function<Tape, Variable> f, List<Variable> inputs, double eps, double rtol, double atol,
      long seed) {
    Objects.requireNonNull(f, "f");
    for (Variable v : inputs) {
      if (!v.requiresGrad()) {
        throw new IllegalArgumentException("input " + v + " needs no gradient; make it with Variable.parameter");
      }
    }
    // Analytic gradients: one backward seeded with the reduction weights w.
    for (Variable v : inputs) {
      v.zeroGrad();
    }
    Tape tape = new Tape();
    Variable out = f.apply(tape);
    Tensor weights = Tensor.uniform(new SplittableRandom(seed), -1f, 1f, out.shape().dims());
    tape.backward(out, weights, false);
    float[][] analytic = new float[inputs.size()][];
    for (int k = 0; k < inputs.size(); k++) {
      Tensor g = inputs.get(k).grad();
      analytic[k] = g == null ? new float[inputs.get(k).value().size()] : g.toArray();
    }

    // Numeric gradients: central differences of L = Σ w_i f_i, one element at a time.
    Result worst = null;
    double worstExcess = -1;
    int checked = 0;
    for (int k = 0; k < inputs.size(); k++) {
      float[] x = inputs.get(k).value().storage();
      for (int j = 0; j < x.length; j++) {
        float original = x[j];
        double h = eps * Math.max(1.0, Math.abs(original));
        float plus = (float) (original + h);
        float minus = (float) (original - h);
        x[j] = plus;
        double lossPlus = weightedSum(f, weights);
        x[j] = minus;
        double lossMinus = weightedSum(f, weights);
        x[j] = original;
        double numeric = (lossPlus - lossMinus) / ((double) plus - (double) minus);
        double a = analytic[k][j];
        double allowed = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
        double diff = Math.abs(a - numeric);
        double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
        checked++;
        if (excess > worstExcess) {
          worstExcess = excess;
          worst = new Result(excess <= 1, inputs.get(k).name(), j, a, numeric, 0);
        }
      }
    }
    if (worst == null) {
      return new Result(true, "-", -1, 0, 0, 0);
    }
    return new Result(worstExcess <= 1, worst.input(), worst.index(), worst.analytic(), worst.numeric(), checked);
  }

  private static double weightedSum(Function<Tape, Variable> f, Tensor weights) {
    Tape tape = new Tape();
    float[] out;
    try (Tape.NoGrad off = tape.noGrad()) {
      out = f.apply(tape).value().storage();
    }
    float[] w = weights.storage();
    double sum = 0;
    for (int i = 0; i < out.length; i++) {
      sum += (double) w[i] * out[i];
    }
    return sum;
  }
}
