package dev.tapegrad.rnn.train;

/**
 * Thrown by {@link Trainer#run} when a step's loss or gradient norm is NaN or infinite, or when an
 * update left a weight that is. The check runs before the optimizer step, so in the first two
 * cases the model still holds the weights of the previous step; nothing is saved by the trainer.
 *
 * <p>It extends {@link IllegalStateException}: the run cannot go on in the state it reached.
 */
public final class TrainingDivergedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final long step;

  /**
   * Creates the exception.
   *
   * @param step the step that diverged, counted from 1 over the whole run
   * @param message one line saying what became non-finite
   */
  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** Returns the step that diverged, counted from 1 over the whole run. */
  public long step() {
    return step;
  }
}
