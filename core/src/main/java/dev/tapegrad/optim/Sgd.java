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
 * Sgd sgd = Sgd.create(model.namedParameters(), 0.1f, 0.9f);
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
   * Returns SGD with momentum and no weight decay.
   *
   * @param params the parameters to update, by name, in the order to update them
   * @param learningRate the step size
   * @param momentum μ, in [0, 1); 0 for plain gradient descent
   * @return the optimizer
   * @throws IllegalArgumentException if a hyper-parameter is out of range or a parameter needs no
   *     gradient
   */
  public static Sgd create(Map<String, Variable> params, float learningRate, float momentum) {
    return new Sgd(params, learningRate, momentum, 0f);
  }

  /**
   * Returns SGD with momentum and L2 weight decay.
   *
   * @param params the parameters to update, by name, in the order to update them
   * @param learningRate the step size
   * @param momentum μ, in [0, 1)
   * @param weightDecay the L2 penalty's coefficient, at least 0
   * @return the optimizer
   * @throws IllegalArgumentException if a hyper-parameter is out of range or a parameter needs no
   *     gradient
   */
  public static Sgd create(Map<String, Variable> params, float learningRate, float momentum, float weightDecay) {
    return new Sgd(params, learningRate, momentum, weightDecay);
  }

  /**
   * Returns SGD with momentum for parameters named by their positions.
   *
   * @param params the parameters to update, named {@code "0"}, {@code "1"} … in this order
   * @param learningRate the step size
   * @param momentum μ, in [0, 1)
   * @return the optimizer
   */
  public static Sgd create(List<Variable> params, float learningRate, float momentum) {
    return create(Optimizer.byPosition(params), learningRate, momentum);
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
