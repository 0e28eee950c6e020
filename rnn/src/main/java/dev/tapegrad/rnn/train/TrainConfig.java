package dev.tapegrad.rnn.train;

import dev.tapegrad.ops.CellKind;

/**
 * Everything that decides a training run, validated when it is made. Build one with
 * {@link #builder()}, whose defaults are the notebook's settings.
 *
 * <pre>{@code
 * TrainConfig config = TrainConfig.builder().hidden(256).batch(32).minutes(15).build();
 * }</pre>
 *
 * @param cell the recurrent cell (the notebook: GRU)
 * @param hidden recurrent width H (the notebook: 512)
 * @param layers recurrent layers (the notebook: 1)
 * @param dropout the share of each non-final layer's outputs dropped in training, in [0, 1)
 * @param seq characters per chunk, the length of back-propagation through time (the notebook: 100)
 * @param batch chunks per step (the notebook: 1)
 * @param learningRate Adam's base step size (the notebook: 0.001)
 * @param schedule how the step size moves during the run (the notebook: constant)
 * @param weightDecay decoupled (AdamW) weight decay per unit of learning rate (the notebook: 0)
 * @param clip the largest global gradient norm; larger gradients are scaled down
 * @param stateful whether each batch row walks its own stretch of the text and carries its state
 *     from chunk to chunk (truncated back-propagation through time), instead of random chunks
 *     that start from zeros (the notebook)
 * @param epochs stop after this many epochs (0: no limit); one epoch is about one pass over the
 *     training text
 * @param steps stop when the run has taken this many steps in all (0: no limit)
 * @param minutes stop after this much wall time (0: no limit)
 * @param evalEvery also measure the validation loss every this many steps (0: only at each epoch's
 *     end)
 * @param patience stop after this many validation measurements in a row without a new best (0:
 *     never stop early)
 * @param seed seeds initialisation, chunk choice and dropout: the same seed gives the same run
 * @param valFraction the share of the text, at its end, held out for validation
 * @param lowercase lower-case the text first, as the notebook did
 * @param sampleLength characters in the sample printed each epoch (drawn with
 *     {@link dev.tapegrad.rnn.sample.Sampler.Options#defaults()})
 */
public record TrainConfig(CellKind cell, int hidden, int layers, float dropout, int seq, int batch,
    float learningRate, LearningRateSchedule schedule, float weightDecay, double clip, boolean stateful, int epochs,
    long steps, double minutes, long evalEvery, int patience, long seed, double valFraction, boolean lowercase,
    int sampleLength) {

  /** Checks every field, naming the flag at fault. */
  public TrainConfig {
    require(cell != null, "--cell is missing");
    require(schedule != null, "--schedule is missing");
    require(hidden >= 1, "--hidden must be at least 1, got " + hidden);
    require(layers >= 1, "--layers must be at least 1, got " + layers);
    require(dropout >= 0 && dropout < 1, "--dropout must be in [0, 1), got " + dropout);
    require(dropout == 0 || layers > 1, "--dropout " + dropout + " acts between layers, so it needs --layers 2 or more");
    require(seq >= 1, "--seq must be at least 1, got " + seq);
    require(batch >= 1, "--batch must be at least 1, got " + batch);
    require(learningRate > 0 && Float.isFinite(learningRate), "--lr must be a positive number, got " + learningRate);
    require(weightDecay >= 0 && Float.isFinite(weightDecay), "--weight-decay must be at least 0, got " + weightDecay);
    require(clip > 0 && Double.isFinite(clip), "--clip must be a positive number, got " + clip);
    require(epochs >= 0, "--epochs must be at least 0, got " + epochs);
    require(steps >= 0, "--steps must be at least 0, got " + steps);
    require(minutes >= 0 && Double.isFinite(minutes), "--minutes must be at least 0, got " + minutes);
    require(evalEvery >= 0, "--eval-every must be at least 0 (0: only at each epoch's end), got " + evalEvery);
    require(patience >= 0, "--patience must be at least 0 (0: never stop early), got " + patience);
    require(valFraction >= 0 && valFraction < 1, "--val-fraction must be in [0, 1), got " + valFraction);
    require(sampleLength >= 0, "--sample-length must be at least 0, got " + sampleLength);
    require(epochs > 0 || steps > 0 || minutes > 0, "give at least one of --epochs, --steps or --minutes");
    require(patience == 0 || valFraction > 0, "--patience needs a validation text (--val-fraction above 0)");
  }

  /** {@return a builder holding the notebook's settings, bounded by 10 epochs} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this configuration's settings} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.cell = cell;
    b.hidden = hidden;
    b.layers = layers;
    b.dropout = dropout;
    b.seq = seq;
    b.batch = batch;
    b.learningRate = learningRate;
    b.schedule = schedule;
    b.weightDecay = weightDecay;
    b.clip = clip;
    b.stateful = stateful;
    b.epochs = epochs;
    b.steps = steps;
    b.minutes = minutes;
    b.evalEvery = evalEvery;
    b.patience = patience;
    b.seed = seed;
    b.valFraction = valFraction;
    b.lowercase = lowercase;
    b.sampleLength = sampleLength;
    return b;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Builds a {@link TrainConfig}; each setter names the record component it sets. */
  public static final class Builder {
    private CellKind cell = CellKind.GRU;
    private int hidden = 512;
    private int layers = 1;
    private float dropout;
    private int seq = 100;
    private int batch = 1;
    private float learningRate = 0.001f;
    private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
    private float weightDecay;
    private double clip = 5;
    private boolean stateful;
    private int epochs = 10;
    private long steps;
    private double minutes;
    private long evalEvery;
    private int patience;
    private long seed = 42;
    private double valFraction = 0.1;
    private boolean lowercase;
    private int sampleLength = 200;

    private Builder() {}

    /** @param v the cell @return this */
    public Builder cell(CellKind v) {
      cell = v;
      return this;
    }

    /** @param v H @return this */
    public Builder hidden(int v) {
      hidden = v;
      return this;
    }

    /** @param v the layer count @return this */
    public Builder layers(int v) {
      layers = v;
      return this;
    }

    /** @param v the dropout between layers @return this */
    public Builder dropout(float v) {
      dropout = v;
      return this;
    }

    /** @param v the chunk length @return this */
    public Builder seq(int v) {
      seq = v;
      return this;
    }

    /** @param v the batch size @return this */
    public Builder batch(int v) {
      batch = v;
      return this;
    }

    /** @param v Adam's base step size @return this */
    public Builder learningRate(float v) {
      learningRate = v;
      return this;
    }

    /** @param v the learning-rate schedule @return this */
    public Builder schedule(LearningRateSchedule v) {
      schedule = v;
      return this;
    }

    /** @param v the decoupled weight decay @return this */
    public Builder weightDecay(float v) {
      weightDecay = v;
      return this;
    }

    /** @param v the gradient-norm limit @return this */
    public Builder clip(double v) {
      clip = v;
      return this;
    }

    /** @param v whether batch rows walk the text in order, carrying their state @return this */
    public Builder stateful(boolean v) {
      stateful = v;
      return this;
    }

    /** @param v the epoch bound (0: none) @return this */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** @param v the step bound (0: none) @return this */
    public Builder steps(long v) {
      steps = v;
      return this;
    }

    /** @param v the wall-time bound in minutes (0: none) @return this */
    public Builder minutes(double v) {
      minutes = v;
      return this;
    }

    /** @param v validate every this many steps (0: at epoch ends only) @return this */
    public Builder evalEvery(long v) {
      evalEvery = v;
      return this;
    }

    /** @param v evaluations without improvement before stopping (0: never) @return this */
    public Builder patience(int v) {
      patience = v;
      return this;
    }

    /** @param v the seed @return this */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** @param v the held-out share @return this */
    public Builder valFraction(double v) {
      valFraction = v;
      return this;
    }

    /** @param v whether to lower-case the text @return this */
    public Builder lowercase(boolean v) {
      lowercase = v;
      return this;
    }

    /** @param v the per-epoch sample's length @return this */
    public Builder sampleLength(int v) {
      sampleLength = v;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the configuration
     * @throws IllegalArgumentException naming the flag at fault
     */
    public TrainConfig build() {
      return new TrainConfig(cell, hidden, layers, dropout, seq, batch, learningRate, schedule, weightDecay, clip,
          stateful, epochs, steps, minutes, evalEvery, patience, seed, valFraction, lowercase, sampleLength);
    }
  }
}
