package dev.tapegrad.optim;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.SgdKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, with PyTorch's semantics ({@code torch.optim.SGD}
 * with {@code dampening=0}, {@code nesterov=False}).
 *
 * <p>For each parameter p with gradient g:
 * <pre>
 *   g ← g + weightDecay · p         L2 weight decay, coupled: it goes through the momentum
 *   v ← μ v + g                    the velocity, a running sum of gradients (v starts at 0)
 *   p ← p − lr · v
 * </pre>
 * With μ = 0 this is plain gradient descent. Velocities are kept by parameter name, like Adam's
 * moments.
 *
 * <pre>{@code
 * Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).build(model.namedParameters());
 * sgd.zeroGrad();
 * tape.backward(loss);
 * sgd.step();
 * }</pre>
 */
public final class Sgd implements Optimizer {

  private final Map<String, Variable> params;
  private final Map<String, Tensor> velocities = new LinkedHashMap<>();
  private final float momentum;
  private final float weightDecay;
  private float learningRate;

  private Sgd(Map<String, Variable> params, float learningRate, float momentum, float weightDecay) {
    if (!(learningRate >= 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("Sgd: invalid hyper-parameters lr=" + learningRate + " momentum=" + momentum
          + " weightDecay=" + weightDecay);
    }
    this.params = Optimizer.trainable("Sgd", params);
    this.params.forEach((name, p) -> velocities.put(name, Tensor.zeros(p.shape())));
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.weightDecay = weightDecay;
  }

  /**
   * Returns a builder of SGD with PyTorch's defaults: lr 1e-3, no momentum, no weight decay.
   *
   * <pre>{@code
   * Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).weightDecay(1e-4).build(model.namedParameters());
   * }</pre>
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** SGD's settings by name; {@link #build} makes the optimizer and checks them. */
  public static final class Builder {
    private double learningRate = 1e-3;
    private double momentum;
    private double weightDecay;

    private Builder() {}

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
     * Sets the momentum μ (default 0, plain gradient descent).
     *
     * @param momentum μ, in [0, 1)
     * @return this builder
     */
    public Builder momentum(double momentum) {
      this.momentum = momentum;
      return this;
    }

    /**
     * Sets the L2 weight decay's coefficient (default 0).
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
    public Sgd build(Map<String, Variable> params) {
      return new Sgd(params, (float) learningRate, (float) momentum, (float) weightDecay);
    }

    /**
     * Returns the optimizer over parameters named by their positions, {@code "0"}, {@code "1"} …
     *
     * @param params the parameters, in update order
     * @return the optimizer
     * @throws IllegalArgumentException as {@link #build(Map)}
     */
    public Sgd build(List<Variable> params) {
      return build(Optimizer.byPosition(params));
    }
  }

  /**
   * Returns SGD with momentum and no weight decay.
   *
   * @deprecated The learning rate and the momentum compile in either order; use {@link #builder()}:
   *     {@code Sgd.builder().lr(lr).momentum(momentum).build(params)}.
   *
   * @param params the parameters to update, by name, in the order to update them
   * @param learningRate the step size
   * @param momentum μ, in [0, 1); 0 for plain gradient descent
   * @return the optimizer
   * @throws IllegalArgumentException if a hyper-parameter is out of range or a parameter needs no
   *     gradient
   */
  @Deprecated
  public static Sgd create(Map<String, Variable> params, float learningRate, float momentum) {
    return new Sgd(params, learningRate, momentum, 0f);
  }

  /**
   * Returns SGD with momentum and L2 weight decay.
   *
   * @deprecated Three floats in a row compile in any order; use {@link #builder()}.
   *
   * @param params the parameters to update, by name, in the order to update them
   * @param learningRate the step size
   * @param momentum μ, in [0, 1)
   * @param weightDecay the L2 penalty's coefficient, at least 0
   * @return the optimizer
   * @throws IllegalArgumentException if a hyper-parameter is out of range or a parameter needs no
   *     gradient
   */
  @Deprecated
  public static Sgd create(Map<String, Variable> params, float learningRate, float momentum, float weightDecay) {
    return new Sgd(params, learningRate, momentum, weightDecay);
  }

  /**
   * Returns SGD with momentum for parameters named by their positions.
   *
   * @deprecated The learning rate and the momentum compile in either order; use {@link #builder()}.
   *
   * @param params the parameters to update, named {@code "0"}, {@code "1"} … in this order
   * @param learningRate the step size
   * @param momentum μ, in [0, 1)
   * @return the optimizer
   */
  @Deprecated
  public static Sgd create(List<Variable> params, float learningRate, float momentum) {
    return new Sgd(Optimizer.byPosition(params), learningRate, momentum, 0f);
  }

  /**
   * Applies one update, to the parameters in the order given; a parameter that received no
   * gradient counts as having a zero gradient.
   */
  @Override
  public void step() {
    params.forEach((name, p) -> {
      SgdKernels.step(p.value().data(), p.gradBuffer().data(), velocities.get(name).data(), learningRate,
          momentum, weightDecay);
      p.value().markModified();
    });
  }

  @Override
  public void zeroGrad() {
    params.values().forEach(Variable::zeroGrad);
  }

  /**
   * Returns a parameter's velocity buffer (live, not a copy).
   *
   * @param name the parameter's name
   * @return v, the parameter's shape
   * @throws IllegalArgumentException if there is no parameter of that name
   */
  public Tensor velocity(String name) {
    Tensor v = velocities.get(name);
    if (v == null) {
      throw new IllegalArgumentException("Sgd: no parameter named '" + name + "'; they are " + params.keySet());
    }
    return v;
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
      throw new IllegalArgumentException("Sgd: learning rate must be at least 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }
}
