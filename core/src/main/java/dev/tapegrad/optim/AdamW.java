package dev.tapegrad.optim;

/**
 * AdamW, {@code torch.optim.AdamW}: Adam with decoupled weight decay, each step first shrinking
 * every parameter by {@code p ← p (1 − lr · weightDecay)} and then taking Adam's step, so the decay
 * does not pass through the moments (Loshchilov and Hutter, "Decoupled Weight Decay
 * Regularization"). The update is written out in {@link Adam}.
 *
 * <pre>{@code
 * Adam optimizer = AdamW.builder().lr(1e-3).betas(0.9, 0.95).weightDecay(0.1).build(model.namedParameters());
 * }</pre>
 *
 * <p>Note: PyTorch has two classes; here AdamW builds an {@link Adam} whose weight decay is
 * decoupled ({@link Adam#isDecoupled()}, and {@code toString()} says AdamW), so the same code
 * saves and restores the moments of both.
 */
public final class AdamW {

  /** PyTorch's default weight decay for AdamW. */
  public static final float DEFAULT_WEIGHT_DECAY = 0.01f;

  private AdamW() {}

  /**
   * Returns a builder of AdamW with PyTorch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8,
   * weight decay 0.01.
   *
   * @return the builder
   */
  public static Adam.Builder builder() {
    return new Adam.Builder(true, DEFAULT_WEIGHT_DECAY);
  }
}
