package dev.tapegrad.rnn.train;

import dev.tapegrad.ops.CellKind;
import java.util.Locale;

/**
 * Named starting points for {@code rnn train}; every flag given on the command line overrides its
 * preset's value.
 *
 * <ul>
 *   <li>{@link #NOTEBOOK}: the learner's PyTorch notebook, unchanged: a 1-layer GRU of 512, random
 *       100-character chunks one at a time from a zero state, Adam at a constant 0.001, clip 5.
 *   <li>{@link #DATA}: the default for {@code train --data}: the fastest learner per CPU-minute
 *       found by the study in {@code docs/TRAINING.md}: a 2-layer GRU of 512 with dropout 0.25
 *       between the layers, stateful rows of 100 characters, batch 32, Adam at 0.004 with 100
 *       warm-up steps and a cosine decay to the end of the run, validation every 1,000 steps as well
 *       as at each epoch's end.
 *   <li>{@link #EMBEDDED}: the default without {@code --data}: a small model on the embedded corpus
 *       for about two minutes, a quick first run.
 * </ul>
 */
public enum TrainPreset {
  /** The notebook's settings. */
  NOTEBOOK,
  /** The default for {@code train --data}, chosen by the study in docs/TRAINING.md. */
  DATA,
  /** The default for the embedded corpus. */
  EMBEDDED;

  /** {@return the name used on the command line} */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Returns the preset called {@code id}.
   *
   * @param id notebook, data or embedded (any case)
   * @return the preset
   * @throws IllegalArgumentException naming the choices
   */
  public static TrainPreset parse(String id) {
    for (TrainPreset p : values()) {
      if (p.id().equalsIgnoreCase(id)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown --preset '" + id + "': choose notebook, data or embedded");
  }

  /**
   * Returns the preset's settings. Its bound (10 epochs, or 2 minutes for {@link #EMBEDDED}) applies
   * only when no bound is given.
   *
   * @return a builder holding them
   */
  public TrainConfig.Builder builder() {
    TrainConfig.Builder b = TrainConfig.builder();
    return switch (this) {
      case NOTEBOOK -> b;
      case DATA -> b.cell(CellKind.GRU).hidden(512).layers(2).dropout(0.25f).seq(100).batch(32).learningRate(0.004f)
          .schedule(new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 100)).stateful(true).evalEvery(1000);
      case EMBEDDED -> b.hidden(192).batch(16).learningRate(0.003f).epochs(0).minutes(2);
    };
  }
}
