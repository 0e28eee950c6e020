package dev.tapegrad.rnn.train;

import java.util.Locale;

/**
 * How the learning rate moves during a run: an optional linear warm-up over the first steps, then
 * constant, cosine or step decay over the run's progress.
 *
 * <p>With base rate η, warm-up length W steps and progress p ∈ [0, 1] (how far the run is towards
 * its nearest bound, see {@link Trainer}), the rate for step s (counted from 0) is
 * <pre>
 *   η(s, p) = η · warm(s) · decay(p)
 *   warm(s) = min(1, (s + 1) / W)                      (1 when W = 0)
 *   constant: decay(p) = 1
 *   cosine:   decay(p) = f + (1 − f) · (1 + cos(π p)) / 2,   f = {@value #COSINE_FLOOR}
 *   step:     decay(p) = {@value #STEP_FACTOR}^⌊3p⌋          (halved at a third and at two thirds)
 * </pre>
 * Cosine ends at a tenth of the base rate rather than zero, as is common for short runs: the last
 * steps still learn. Warm-up keeps Adam's first updates small while its second-moment estimate is
 * still noisy.
 *
 * <p>Progress is measured in steps or epochs when those bound the run, so a resumed run follows the
 * same schedule as an uninterrupted one. When wall time bounds the run ({@code --minutes}), progress
 * is elapsed time over the budget: the decay then ends exactly when the time does, but which step
 * sees which rate depends on the machine's speed.
 *
 * @param kind the decay shape
 * @param warmupSteps W, the linear warm-up's length in steps (0: none)
 */
public record LearningRateSchedule(Kind kind, long warmupSteps) {

  /** Where the cosine decay ends, as a fraction of the base rate. */
  public static final double COSINE_FLOOR = 0.1;
  /** The step decay's factor, applied at a third and at two thirds of the run. */
  public static final double STEP_FACTOR = 0.5;

  /** The decay shape after warm-up. */
  public enum Kind {
    /** No decay: the notebook's fixed rate. */
    CONSTANT,
    /** Half a cosine from the base rate down to {@link #COSINE_FLOOR} of it. */
    COSINE,
    /** Halved at a third and at two thirds of the run. */
    STEP;

    /** {@return the name used on the command line: constant, cosine or step} */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the kind called {@code id}.
     *
     * @param id constant, cosine or step (any case)
     * @return the kind
     * @throws IllegalArgumentException naming the choices
     */
    public static Kind parse(String id) {
      for (Kind k : values()) {
        if (k.id().equalsIgnoreCase(id)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown --schedule '" + id + "': choose constant, cosine or step");
    }
  }

  /** The notebook's schedule: a constant rate, no warm-up. */
  public static final LearningRateSchedule CONSTANT = new LearningRateSchedule(Kind.CONSTANT, 0);

  /** Checks the fields. */
  public LearningRateSchedule {
    if (kind == null) {
      throw new IllegalArgumentException("--schedule is missing");
    }
    if (warmupSteps < 0) {
      throw new IllegalArgumentException("--warmup must be at least 0 steps, got " + warmupSteps);
    }
  }

  /**
   * Returns the factor that multiplies the base rate.
   *
   * @param step the step about to be taken, counted from 0
   * @param progress how far the run is, in [0, 1] (clamped)
   * @return η(s, p) / η, in (0, 1]
   */
  public double factor(long step, double progress) {
    double p = Math.min(1, Math.max(0, progress));
    double warm = warmupSteps == 0 ? 1 : Math.min(1, (step + 1) / (double) warmupSteps);
    double decay = switch (kind) {
      case CONSTANT -> 1;
      case COSINE -> COSINE_FLOOR + (1 - COSINE_FLOOR) * (1 + Math.cos(Math.PI * p)) / 2;
      case STEP -> Math.pow(STEP_FACTOR, Math.min(2, Math.floor(3 * p)));
    };
    return warm * decay;
  }
}
