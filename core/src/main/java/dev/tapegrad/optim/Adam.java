package dev.tapegrad.optim;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

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
 * <pre>{@code
 * Adam adam = Adam.create(model.parameters(), 1e-3f);
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

  private final List<Variable> params;
  private final List<Tensor> firstMoments = new ArrayList<>();
  private final List<Tensor> secondMoments = new ArrayList<>();
  private final float beta1;
  private final float beta2;
  private final float eps;
  private final float weightDecay;
  private float learningRate;
  private long step;

  private Adam(List<Variable> params, float learningRate, float beta1, float beta2, float eps, float weightDecay) {
    if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0)
        || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("Adam: invalid hyper-parameters lr=" + learningRate + " betas=(" + beta1
          + ", " + beta2 + ") eps=" + eps + " weightDecay=" + weightDecay);
    }
    this.params = List.copyOf(params);
    for (Variable p : this.params) {
      if (!p.requiresGrad()) {
        throw new IllegalArgumentException("Adam: " + p + " is not a trainable parameter");
      }
      firstMoments.add(Tensor.zeros(p.shape()));
      secondMoments.add(Tensor.zeros(p.shape()));
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /**
   * Returns Adam with PyTorch's default betas (0.9, 0.999) and eps (1e-8), no weight decay.
   *
   * @param params the parameters to update
   * @param learningRate the step size
   * @return the optimizer
   */
  public static Adam create(List<Variable> params, float learningRate) {
    return new Adam(params, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0f);
  }

  /**
   * Returns Adam with every hyper-parameter given.
   *
   * @param params the parameters to update
   * @param learningRate the step size
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param eps added to the denominator after the square root
   * @param weightDecay decoupled (AdamW) weight decay; 0 for plain Adam
   * @return the optimizer
   */
  public static Adam create(List<Variable> params, float learningRate, float beta1, float beta2, float eps,
      float weightDecay) {
    return new Adam(params, learningRate, beta1, beta2, eps, weightDecay);
  }

  /**
   * Applies one update. A parameter that received no gradient since the last zeroing is
   * updated as if its gradient were zero, as PyTorch does for a zeroed (not {@code None}) grad.
   */
  @Override
  public void step() {
    step++;
    for (int i = 0; i < params.size(); i++) {
      Variable p = params.get(i);
      Tensor g = p.gradBuffer();
      Kernels.adamStep(p.value().data(), g.data(), firstMoments.get(i).data(), secondMoments.get(i).data(),
          learningRate, beta1, beta2, eps, weightDecay, step);
      p.value().markModified();
    }
  }

  @Override
  public void zeroGrad() {
    for (Variable p : params) {
      p.zeroGrad();
    }
  }

  /** {@return the parameters, in the order given at creation} */
  public List<Variable> parameters() {
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
   * Returns the first-moment buffer of parameter {@code i} (live, not a copy), for saving.
   *
   * @param i the parameter's position
   * @return m, the parameter's shape
   */
  public Tensor firstMoment(int i) {
    return firstMoments.get(i);
  }

  /**
   * Returns the second-moment buffer of parameter {@code i} (live, not a copy), for saving.
   *
   * @param i the parameter's position
   * @return v, the parameter's shape
   */
  public Tensor secondMoment(int i) {
    return secondMoments.get(i);
  }

  /**
   * Restores a saved state: the step count and every moment buffer.
   *
   * @param stepCount the number of steps taken
   * @param first the first moments, one per parameter, in order
   * @param second the second moments, one per parameter, in order
   * @throws IllegalArgumentException if the counts or shapes do not match the parameters
   */
  public void restore(long stepCount, List<Tensor> first, List<Tensor> second) {
    if (stepCount < 0 || first.size() != params.size() || second.size() != params.size()) {
      throw new IllegalArgumentException("Adam: saved state has " + first.size() + "/" + second.size()
          + " moments for " + params.size() + " parameters (step " + stepCount + ")");
    }
    for (int i = 0; i < params.size(); i++) {
      firstMoments.get(i).copyFrom(first.get(i));
      secondMoments.get(i).copyFrom(second.get(i));
    }
    this.step = stepCount;
  }
}
