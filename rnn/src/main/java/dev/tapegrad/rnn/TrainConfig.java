package dev.tapegrad.rnn;

/**
 * Everything that decides a training run, validated when it is made.
 *
 * @param hidden GRU width H (the notebook: 512)
 * @param layers GRU layers (the notebook: 1)
 * @param seq characters per chunk, the length of back-propagation through time (the notebook: 100)
 * @param batch chunks per step (the notebook: 1)
 * @param learningRate Adam's step size (the notebook: 0.001)
 * @param clip the largest global gradient norm; larger gradients are scaled down
 * @param epochs stop after this many epochs (0: no limit); one epoch is about one pass over the
 *     training text, {@code ceil(trainChars / (seq · batch))} steps
 * @param steps stop when the run has taken this many steps in all (0: no limit)
 * @param minutes stop after this much wall time (0: no limit)
 * @param seed seeds initialisation and chunk choice: the same seed gives the same run
 * @param valFraction the share of the text, at its end, held out for validation
 * @param lowercase lower-case the text first, as the notebook did
 * @param sampleLength characters in the greedy sample printed each epoch
 */
public record TrainConfig(int hidden, int layers, int seq, int batch, float learningRate, double clip, int epochs,
    long steps, double minutes, long seed, double valFraction, boolean lowercase, int sampleLength) {

  /** Checks every field, naming the flag at fault. */
  public TrainConfig {
    require(hidden >= 1, "--hidden must be at least 1, got " + hidden);
    require(layers >= 1, "--layers must be at least 1, got " + layers);
    require(seq >= 1, "--seq must be at least 1, got " + seq);
    require(batch >= 1, "--batch must be at least 1, got " + batch);
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr must be a positive number, got " + learningRate);
    require(clip > 0 && Double.isFinite(clip), "--clip must be a positive number, got " + clip);
    require(epochs >= 0, "--epochs must be at least 0, got " + epochs);
    require(steps >= 0, "--steps must be at least 0, got " + steps);
    require(minutes >= 0 && Double.isFinite(minutes), "--minutes must be at least 0, got " + minutes);
    require(valFraction >= 0 && valFraction < 1, "--val-fraction must be in [0, 1), got " + valFraction);
    require(sampleLength >= 0, "sample length must be at least 0, got " + sampleLength);
    require(epochs > 0 || steps > 0 || minutes > 0, "give at least one of --epochs, --steps or --minutes");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
