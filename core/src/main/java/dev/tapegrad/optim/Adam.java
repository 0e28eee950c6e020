package dev.tapegrad.optim;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.AdamKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam, with PyTorch's semantics ({@code torch.optim.Adam}; AdamW's decoupled weight decay when
 * {@code weightDecay > 0}).
 *
 * <p>For each parameter p with gradient g, at step t = 1, 2, …:
 * <pre>
 *   m ← β1 m + (1 − β1) g                 first moment (running mean of g)
 *   v ← β2 v + (1 − β2) g²                second moment (running mean of g²)
 *   m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)   bias correction: m and v start at zero
 *   p ← p − lr · m̂ / (√v̂ + eps)
 * </pre>
 * Note: eps is added after the square root, as PyTorch does. Weight decay, when set, is
 * decoupled (AdamW): {@code p ← p (1 − lr · weightDecay)} before the update.
 *
 * <p>The moments are kept by parameter name, as the module names them
 * ({@link dev.tapegrad.nn.Module#namedParameters()}), so that a saved state is matched to the
 * parameters by name; parameters given as a list are named by their positions, {@code "0"},
 * {@code "1"} …, as in PyTorch's optimizer {@code state_dict}. Parameters are updated in the
 * order given.
 *
 * <pre>{@code
 * Adam adam = Adam.create(model.namedParameters(), 1e-3f);
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
  private float learningRate;
  private long step;

  private Adam(Map<String, Variable> params, float learningRate, float beta1, float beta2, float eps,
      float weightDecay) {
    if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)
        || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("Adam: invalid hyper-parameters lr=" + learningRate + " betas=(" + beta1
          + ", " + beta2 + ") eps=" + eps + " weightDecay=" + weightDecay);
    }
    this.params = Optimizer.trainable("Adam", params);
    this.params.forEach((name, p) -> {
      firstMoments.put(name, Tensor.zeros(p.shape()));
      secondMoments.put(name, Tensor.zeros(p.shape()));
    });
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /**
   * Returns Adam with PyTorch's default betas (0.9, 0.999) and eps (1e-8), no weight decay.
   *
   * @param params the parameters to update, by name (for example a module's
   *     {@code namedParameters()}), in the order to update them
   * @param learningRate the step size
   * @return the optimizer
   * @throws IllegalArgumentException if a parameter needs no gradient
   */
  public static Adam create(Map<String, Variable> params, float learningRate) {
    return new Adam(params, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0f);
  }

  /**
   * Returns Adam with every hyper-parameter given.
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
  public static Adam create(Map<String, Variable> params, float learningRate, float beta1, float beta2, float eps,
      float weightDecay) {
    return new Adam(params, learningRate, beta1, beta2, eps, weightDecay);
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
   * Returns Adam with every hyper-parameter given, for parameters named by their positions.
   *
   * @param params the parameters to update, named {@code "0"}, {@code "1"} … in this order
   * @param learningRate the step size
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param eps added to the denominator after the square root
   * @param weightDecay decoupled (AdamW) weight decay; 0 for plain Adam
   * @return the optimizer
   */
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
      AdamKernels.step(p.value().data(), p.gradBuffer().data(), firstMoments.get(name).data(),
          secondMoments.get(name).data(), learningRate, beta1, beta2, eps, weightDecay, step);
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
      throw new IllegalArgumentException("Adam: learning rate must be at least 0, got " + learningRate);
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
      throw new IllegalArgumentException("Adam: no parameter named '" + name + "'; they are " + params.keySet());
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
      throw new IllegalArgumentException("Adam: the saved state has moments for " + first.keySet() + " and "
          + second.keySet() + " at step " + stepCount + ", but the parameters are " + params.keySet());
    }
    params.forEach((name, p) -> {
      for (Tensor t : new Tensor[] {first.get(name), second.get(name)}) {
        if (!t.shape().equals(p.shape())) {
          throw new IllegalArgumentException("Adam: a saved moment of '" + name + "' has shape " + t.shape()
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
}
