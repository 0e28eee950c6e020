package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;

/**
 * Layer normalisation, {@code torch.nn.LayerNorm(normalized_shape, eps=1e-5,
 * elementwise_affine=True)}: normalises over the last dimensions, then scales by {@code weight}
 * (initialised to ones) and shifts by {@code bias} (zeros), both of shape
 * {@code normalizedShape}. See {@link dev.tapegrad.ops.LayerNorm} for the math.
 *
 * <pre>{@code
 * LayerNorm ln = LayerNorm.create(64);             // over the last dimension, 64 wide
 * Variable y = ln.forward(tape, x);                // x (B, T, 64) → y (B, T, 64)
 * }</pre>
 */
public final class LayerNorm extends AbstractModule {

  /** PyTorch's default eps. */
  public static final float DEFAULT_EPS = 1e-5f;

  private final int[] normalizedShape;
  private final float eps;
  private final Variable weight;
  private final Variable bias;

  private LayerNorm(int[] normalizedShape, float eps, Variable weight, Variable bias) {
    this.normalizedShape = normalizedShape;
    this.eps = eps;
    this.weight = register("weight", weight);
    this.bias = register("bias", bias);
  }

  /**
   * Returns a layer norm over the given trailing dimensions, with eps 1e-5 and a learned weight
   * and bias.
   *
   * @param normalizedShape the trailing dimensions to normalise over, at least one
   * @return the layer
   * @throws IllegalArgumentException if no dimension is given or one is below 1
   */
  public static LayerNorm create(int... normalizedShape) {
    return create(normalizedShape, DEFAULT_EPS, true);
  }

  /**
   * Returns a layer norm with every option of PyTorch 1.13's constructor.
   *
   * @param normalizedShape the trailing dimensions to normalise over, at least one
   * @param eps added to the variance, at least 0
   * @param elementwiseAffine whether to learn a weight (ones) and a bias (zeros); without them
   *     the layer has no parameters
   * @return the layer
   * @throws IllegalArgumentException if no dimension is given, one is below 1, or eps is negative
   */
  public static LayerNorm create(int[] normalizedShape, float eps, boolean elementwiseAffine) {
    Shape shape = Shape.of(normalizedShape);
    if (shape.rank() == 0) {
      throw new IllegalArgumentException("LayerNorm: normalizedShape needs at least one dimension");
    }
    if (!(eps >= 0f)) {
      throw new IllegalArgumentException("LayerNorm: eps must be at least 0, got " + eps);
    }
    Variable w = elementwiseAffine ? Variable.parameter("weight", Tensor.full(1f, normalizedShape)) : null;
    Variable b = elementwiseAffine ? Variable.parameter("bias", Tensor.zeros(normalizedShape)) : null;
    return new LayerNorm(shape.dims(), eps, w, b);
  }

  /**
   * Normalises x over its last dimensions; see {@link dev.tapegrad.ops.LayerNorm}.
   *
   * @param tape the tape to record on
   * @param x the input, ending with the normalised shape
   * @return the output, x's shape
   * @throws IllegalArgumentException naming the shapes if x does not end with the normalised shape
   */
  public Variable forward(Tape tape, Variable x) {
    return dev.tapegrad.ops.LayerNorm.apply(tape, x, normalizedShape, weight, bias, eps);
  }

  /** {@return the normalised trailing dimensions (a copy)} */
  public int[] normalizedShape() {
    return normalizedShape.clone();
  }

  /** {@return eps, added to the variance} */
  public float eps() {
    return eps;
  }

  /** {@return the weight, of the normalised shape, or {@code null} without elementwise affine} */
  public Variable weight() {
    return weight;
  }

  /** {@return the bias, of the normalised shape, or {@code null} without elementwise affine} */
  public Variable bias() {
    return bias;
  }
}
