package dev.tapegrad.optim;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.AdamKernels;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam and AdamW, with PyTorch's semantics ({@code torch.optim.Adam} and, built by
 * {@link AdamW#builder()}, {@code torch.optim.AdamW}).
 *
 * <p>For each parameter p with gradient g, at step t = 1, 2, …:
 * <pre>
 *   g ← g + weightDecay · p               Adam's weight decay only: an L2 penalty's gradient
 *   p ← p (1 − lr · weightDecay)          AdamW's only: decay decoupled from the moments
 *   m ← β1 m + (1 − β1) g                 first moment (running mean of g)
 *   v ← β2 v + (1 − β2) g²                second moment (running mean of g²)
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)   bias correction: m and v start at zero
 *   p ← p − lr · m̂ / (√v̂ + eps)
 * </pre>
 * Note: eps is added after the square root, as PyTorch does. Adam's L2 decay goes through the
 * moments, so it is scaled down where gradients are large; AdamW's is not, which is why it is
 * the one to use for regularisation (Loshchilov and Hutter). Adam's decays a copy of g: the
 * parameter's own {@link Variable#grad()} is left as backward made it, as in PyTorch.
 *
 * <p>Settings are given by name, with PyTorch's defaults for the others (lr 1e-3, betas
 * (0.9, 0.999), eps 1e-8, weight decay 0 for Adam and 0.01 for AdamW), so that no two of them can
 * be swapped by mistake:
 *
 * <pre>{@code
 * Adam adam = Adam.builder().lr(3e-4).betas(0.9, 0.95).build(model.namedParameters());
 * Adam adamW = AdamW.builder().lr(1e-3).weightDecay(0.1).build(model.namedParameters());
 * }</pre>
 *
 * <p>The moments are kept by parameter name, as the module names them
 * ({@link dev.tapegrad.nn.Module#namedParameters()}), so that a saved state is matched to the
 * parameters by name; parameters given as a list are named by their positions, {@code "0"},
 * {@code "1"} …, as in PyTorch's optimizer {@code state_dict}. Parameters are updated in the
 * order given.
 *
 * <pre>{@code
 * Adam adam = Adam.builder().lr(1e-3).build(model.namedParameters());
 * for (...) {
 *   adam.zeroGrad();
 *   Tape tape = new Tape();
 *   tape.backward(loss(tape));
 *   adam.step();
 * }
 * }</pre>
 */
public final class Adam implements Optimizer {

  /** PyTorch's default β1. */
  public static final float DEFAULT_BETA1 = 0.9f;
  /** PyTorch's default β2. */
  public static final float DEFAULT_BETA2 = 0.999f;
  /** PyTorch's default eps. */
  public static final float DEFAULT_EPS = 1e-8f;

  private final Map<String, Variable> params;
  private final Map<String, Tensor> firstMoments = new LinkedHashMap<>();
  private final Map<String, Tensor> secondMoments = new LinkedHashMap<>();
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private final boolean decoupled;
  /** Adam's L2 decay only: per parameter, g + weightDecay · p, so that p's own gradient is left alone. */
  private final Map<String, Tensor> decayedGrads = new LinkedHashMap<>();
  private float learningRate;
  private long step;

  private Adam(Map<String, Variable> params, float learningRate, float beta1, float beta2, float eps,
      float weightDecay, boolean decoupled) {
    String name = decoupled ? "AdamW" : "Adam";
    if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)
        || !(weightDecay >= 0)) {
      throw new IllegalArgumentException(name + ": invalid hyper-parameters lr=" + learningRate + " betas=(" + beta1
          + ", " + beta2 + ") eps=" + eps + " weightDecay=" + weightDecay);
    }
    this.params = Optimizer.trainable(name, params);
    this.params.forEach((key, p) -> {
      firstMoments.put(key, Tensor.zeros(p.shape()));
      secondMoments.put(key, Tensor.zeros(p.shape()));
      if (weightDecay > 0 && !decoupled) {
        decayedGrads.put(key, Tensor.zeros(p.shape()));
      }
    });
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
  }

  /**
   * Returns a builder of Adam with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8 and
   * no weight decay ({@code torch.optim.Adam}'s, an L2 penalty, if set). For decoupled weight
   * decay use {@link AdamW#builder()}.
   *
   * <pre>{@code
   * Adam adam = Adam.builder().lr(3e-4).betas(0.9, 0.95).build(model.namedParameters());
   * }</pre>
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder(false, 0);
  }

  /**
   * Adam's or AdamW's settings by name; {@link #build} makes the optimizer. Every setting starts
   * at PyTorch's default, and is checked when the optimizer is built.
   */
  public static final class Builder {
    private final boolean decoupled;
    private double learningRate = 1e-3;
    private double beta1 = DEFAULT_BETA1;
    private double beta2 = DEFAULT_BETA2;
    private double eps = DEFAULT_EPS;
    private double weightDecay;

    Builder(boolean decoupled, double weightDecay) {
      this.decoupled = decoupled;
      this.weightDecay = weightDecay;
    }

    /**
     * Sets the learning rate (default 1e-3).
     *
     * @param learningRate the step size, at least 0
     * @return this builder
     */
    public Builder lr(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    /**
     * Sets the moments' decay rates (default 0.9 and 0.999).
     *
     * @param beta1 first-moment decay, in [0, 1)
     * @param beta2 second-moment decay, in [0, 1)
     * @return this builder
     */
    public Builder betas(double beta1, double beta2) {
      this.beta1 = beta1;
      this.beta2 = beta2;
      return this;
    }

    /**
     * Sets the term added to the denominator after the square root (default 1e-8).
     *
     * @param eps at least 0
     * @return this builder
     */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /**
     * Sets the weight decay: Adam's L2 penalty through the moments (default 0), or AdamW's
     * decoupled decay (default 0.01), as the builder came from {@link Adam#builder()} or
     * {@link AdamW#builder()}.
     *
     * @param weightDecay at least 0
     * @return this builder
     */
    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    /**
     * Returns the optimizer over parameters by name, updated in this order.
     *
     * @param params the parameters, usually a module's {@code namedParameters()}
     * @return the optimizer
     * @throws IllegalArgumentException if a setting is out of range, or a parameter needs no
     *     gradient or is given twice (naming it)
     */
    public Adam build(Map<String, Variable> params) {
      return new Adam(params, (float) learningRate, (float) beta1, (float) beta2, (float) eps, (float) weightDecay,
          decoupled);
    }

    /**
     * Returns the optimizer over parameters named by their positions, {@code "0"}, {@code "1"} …
     *
     * @param params the parameters, in update order
     * @return the optimizer
     * @throws IllegalArgumentException as {@link #build(Map)}
     */
    public Adam build(List<Variable> params) {
      return build(Optimizer.byPosition(params));
    }
  }

  /**
   * Returns Adam with PyTorch's default betas (0.9, 0.999) and eps (1e-8), no weight decay.
   *
   * @param params the parameters to update, by name (for example a module's
   *     {@code namedParameters()}), in the order to update them
   * @param learningRate the step size
   * @return the optimizer
   * @throws IllegalArgumentException if a parameter needs no gradient or is given twice
   */
  public static Adam create(Map<String, Variable> params, float learningRate) {
    return builder().lr(learningRate).build(params);
  }

  /**
   * Returns Adam with every hyper-parameter given, and AdamW's decoupled weight decay.
   *
   * @deprecated Five floats in a row compile in any order; use {@link #builder()} (or, with weight
   *     decay, {@link AdamW#builder()}, which this is) to name them:
   *     {@code AdamW.builder().lr(lr).betas(b1, b2).eps(eps).weightDecay(wd).build(params)}.
   *
   * @param params the parameters to update, by name, in the order to update them
   * @param learningRate the step size
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param eps added to the denominator after the square root
   * @param weightDecay decoupled (AdamW) weight decay; 0 for plain Adam
   * @return the optimizer
   * @throws IllegalArgumentException if a hyper-parameter is out of range or a parameter needs no
   *     gradient
   */
  @Deprecated
  public static Adam create(Map<String, Variable> params, float learningRate, float beta1, float beta2, float eps,
      float weightDecay) {
    return new Adam(params, learningRate, beta1, beta2, eps, weightDecay, weightDecay > 0);
  }

  /**
   * Returns Adam with PyTorch's defaults for parameters named by their positions.
   *
   * @param params the parameters to update, named {@code "0"}, {@code "1"} … in this order
   * @param learningRate the step size
   * @return the optimizer
   */
  public static Adam create(List<Variable> params, float learningRate) {
    return create(Optimizer.byPosition(params), learningRate);
  }

  /**
   * Returns Adam with every hyper-parameter given, and AdamW's decoupled weight decay, for
   * parameters named by their positions.
   *
   * @deprecated Five floats in a row compile in any order; use {@link #builder()} or
   *     {@link AdamW#builder()} to name them.
   *
   * @param params the parameters to update, named {@code "0"}, {@code "1"} … in this order
   * @param learningRate the step size
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param eps added to the denominator after the square root
   * @param weightDecay decoupled (AdamW) weight decay; 0 for plain Adam
   * @return the optimizer
   */
  @Deprecated
  public static Adam create(List<Variable> params, float learningRate, float beta1, float beta2, float eps,
      float weightDecay) {
    return create(Optimizer.byPosition(params), learningRate, beta1, beta2, eps, weightDecay);
  }

  /**
   * Applies one update, to the parameters in the order given. A parameter that received no
   * gradient since the last zeroing is updated as if its gradient were zero, as PyTorch does for a
   * zeroed (not {@code None}) grad.
   */
  @Override
  public void step() {
    step++;
    params.forEach((name, p) -> {
      float[] w = p.value().data();
      float[] g = p.gradBuffer().data();
      Tensor decayed = decayedGrads.get(name);
      if (decayed != null) {
        // Adam's weight decay: g ← g + weightDecay · p, into a copy (p's gradient stays as backward left it)
        float[] d = decayed.data();
        System.arraycopy(g, 0, d, 0, g.length);
        ElementwiseKernels.axpy(weightDecay, w, d);
        g = d;
      }
      AdamKernels.step(w, g, firstMoments.get(name).data(), secondMoments.get(name).data(), learningRate, beta1, beta2,
          eps, decoupled ? weightDecay : 0f, step);
      p.value().markModified();
    });
  }

  @Override
  public void zeroGrad() {
    params.values().forEach(Variable::zeroGrad);
  }

  /** {@return the parameters, in the order given at creation} */
  public List<Variable> parameters() {
    return new ArrayList<>(params.values());
  }

  /** {@return the parameters by name, in the order given at creation (read-only)} */
  public Map<String, Variable> namedParameters() {
    return params;
  }

  /** {@return how many steps have been taken} */
  public long stepCount() {
    return step;
  }

  /** {@return the current learning rate} */
  public float learningRate() {
    return learningRate;
  }

  /**
   * Sets the learning rate for the following steps (for schedules).
   *
   * @param learningRate the new rate, at least 0
   */
  public void setLearningRate(float learningRate) {
    if (!(learningRate >= 0)) {
      throw new IllegalArgumentException(this + ": learning rate must be at least 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  /**
   * Returns the first-moment buffer of a parameter (live, not a copy), for saving.
   *
   * @param name the parameter's name
   * @return m, the parameter's shape
   * @throws IllegalArgumentException if there is no parameter of that name
   */
  public Tensor firstMoment(String name) {
    return moment(firstMoments, name);
  }

  /**
   * Returns the second-moment buffer of a parameter (live, not a copy), for saving.
   *
   * @param name the parameter's name
   * @return v, the parameter's shape
   * @throws IllegalArgumentException if there is no parameter of that name
   */
  public Tensor secondMoment(String name) {
    return moment(secondMoments, name);
  }

  private Tensor moment(Map<String, Tensor> moments, String name) {
    Tensor m = moments.get(name);
    if (m == null) {
      throw new IllegalArgumentException(this + ": no parameter named '" + name + "'; they are " + params.keySet());
    }
    return m;
  }

  /**
   * Restores a saved state: the step count and every moment buffer, matched by parameter name.
   * Everything is checked before anything changes.
   *
   * @param stepCount the number of steps taken
   * @param first the first moments by parameter name, one for every parameter
   * @param second the second moments by parameter name, one for every parameter
   * @throws IllegalArgumentException if the names differ from the parameters' or a shape does not
   *     match, naming it
   */
  public void restore(long stepCount, Map<String, Tensor> first, Map<String, Tensor> second) {
    if (stepCount < 0 || !first.keySet().equals(params.keySet()) || !second.keySet().equals(params.keySet())) {
      throw new IllegalArgumentException(this + ": the saved state has moments for " + first.keySet() + " and "
          + second.keySet() + " at step " + stepCount + ", but the parameters are " + params.keySet());
    }
    params.forEach((name, p) -> {
      for (Tensor t : new Tensor[] {first.get(name), second.get(name)}) {
        if (!t.shape().equals(p.shape())) {
          throw new IllegalArgumentException(this + ": a saved moment of '" + name + "' has shape " + t.shape()
              + ", the parameter " + p.shape());
        }
      }
    });
    params.keySet().forEach(name -> {
      firstMoments.get(name).copyFrom(first.get(name));
      secondMoments.get(name).copyFrom(second.get(name));
    });
    this.step = stepCount;
  }

  /** {@return the weight decay's coefficient (0 for none)} */
  public float weightDecay() {
    return weightDecay;
  }

  /** {@return whether the weight decay is AdamW's, decoupled from the moments, rather than Adam's L2 penalty} */
  public boolean isDecoupled() {
    return decoupled;
  }

  /** {@return "Adam" or "AdamW", the name messages use} */
  @Override
  public String toString() {
    return decoupled ? "AdamW" : "Adam";
  }
}
