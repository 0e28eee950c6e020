package dev.tapegrad.rnn.train;

import dev.tapegrad.rnn.SplitMix64;
import dev.tapegrad.rnn.text.EncodedText;


/**
 * How the training text is cut into steps: the notebook's random chunks ({@link Random}) or
 * stateful truncated back-propagation through time ({@link Stateful}).
 */
interface TrainingBatches {

  /**
   * One step's data: {@code rows} sequences of {@code length} positions (row b's position t at
   * b·length + t) and where their starting state comes from.
   *
   * @param inputs the input ids
   * @param targets the ids each input should predict (the next character of the text)
   * @param rows N
   * @param length L
   * @param carryRows start from the first this many rows of the state the previous step carried
   *     out (0: from zeros)
   * @param carryOut whether the next step continues from this one's final state
   */
  record Batch(int[] inputs, int[] targets, int rows, int length, int carryRows, boolean carryOut) {
    /** {@return the predictions in this step, N·L} */
    long chars() {
      return (long) rows * length;
    }
  }

  /** {@return the steps in one epoch} */
  long stepsPerEpoch();

  /**
   * Returns the data of an epoch's step.
   *
   * @param stepInEpoch the step's index within its epoch, from 0
   * @param random the chunk sampler (only random batches draw from it)
   * @return the batch
   */
  Batch next(long stepInEpoch, SplitMix64 random);

  /**
   * Returns how many characters an epoch's steps before {@code stepInEpoch} predict.
   *
   * @param stepInEpoch a step index within an epoch, from 0 to {@link #stepsPerEpoch()}
   * @return the characters
   */
  long charsBefore(long stepInEpoch);

  /**
   * The notebook's batches: each row is a chunk of seq + 1 characters starting at a uniformly
   * random position, and starts from a zero state. An epoch is {@code ceil(T / (seq · batch))}
   * steps for a training text of T characters: about one pass, though some characters are drawn
   * twice and others not at all.
   */
  final class Random implements TrainingBatches {
    private final EncodedText text;
    private final int seq;
    private final int batch;
    private final long stepsPerEpoch;

    Random(EncodedText text, int seq, int batch) {
      if (text.length() < seq + 1) {
        throw new IllegalArgumentException("the training text has " + text.length() + " characters; --seq " + seq
            + " needs at least " + (seq + 1) + " (use a longer text or a smaller --seq)");
      }
      this.text = text;
      this.seq = seq;
      this.batch = batch;
      long perStep = (long) seq * batch;
      this.stepsPerEpoch = Math.max(1, (text.length() + perStep - 1) / perStep);
    }

    @Override
    public long stepsPerEpoch() {
      return stepsPerEpoch;
    }

    @Override
    public Batch next(long stepInEpoch, SplitMix64 random) {
      int[] inputs = new int[batch * seq];
      int[] targets = new int[batch * seq];
      for (int b = 0; b < batch; b++) {
        text.chunk(random.nextInt(text.length() - seq), seq, inputs, targets, b * seq);
      }
      return new Batch(inputs, targets, batch, seq, 0, false);
    }

    @Override
    public long charsBefore(long stepInEpoch) {
      return stepInEpoch * seq * batch;
    }
  }

  /**
   * Stateful truncated back-propagation through time, the classic char-rnn scheme: the T − 1
   * predictions of a T-character text are split into N contiguous stretches, one per batch row;
   * each step advances every row by the next seq characters of its own stretch, starting from the
   * state that row reached at the end of the previous step (its gradient cut there). The state
   * thus carries context across chunk boundaries that random chunks never see.
   *
   * <p>Each epoch is exactly one pass: every character is an input once and a target once (the
   * first is never a target, the last never an input). With P = T − 1 predictions, rows get
   * S = ⌊P / N⌋ of them, and the first r = P mod N rows one more; the ⌈S / seq⌉ full-batch steps
   * cover the first S of every row (the last of them shorter when seq does not divide S), then,
   * if r &gt; 0, one step of r rows and one character covers the rest, continuing those rows' states.
   * Every row starts the epoch from a zero state.
   */
  final class Stateful implements TrainingBatches {
    private final EncodedText text;
    private final int seq;
    private final int batch;
    private final int perRow;
    private final int extraRows;
    private final long fullSteps;

    Stateful(EncodedText text, int seq, int batch) {
      long predictions = text.length() - 1L;
      if (predictions < batch) {
        throw new IllegalArgumentException("the training text has " + text.length() + " characters; --stateful with "
            + "--batch " + batch + " needs at least " + (batch + 1) + " (use a longer text or a smaller --batch)");
      }
      this.text = text;
      this.seq = seq;
      this.batch = batch;
      this.perRow = (int) (predictions / batch);
      this.extraRows = (int) (predictions % batch);
      this.fullSteps = (perRow + seq - 1) / seq;
    }

    @Override
    public long stepsPerEpoch() {
      return fullSteps + (extraRows > 0 ? 1 : 0);
    }

    /** Row b's first position: earlier rows hold S predictions each, plus one for each of the first r. */
    private int rowStart(int b) {
      return b * perRow + Math.min(b, extraRows);
    }

    @Override
    public Batch next(long stepInEpoch, SplitMix64 random) {
      if (stepInEpoch < fullSteps) {
        int offset = (int) (stepInEpoch * seq);
        int length = Math.min(seq, perRow - offset);
        int[] inputs = new int[batch * length];
        int[] targets = new int[batch * length];
        for (int b = 0; b < batch; b++) {
          text.chunk(rowStart(b) + offset, length, inputs, targets, b * length);
        }
        boolean last = stepInEpoch == fullSteps - 1 && extraRows == 0;
        return new Batch(inputs, targets, batch, length, stepInEpoch == 0 ? 0 : batch, !last);
      }
      // The first r rows' last prediction each.
      int[] inputs = new int[extraRows];
      int[] targets = new int[extraRows];
      for (int b = 0; b < extraRows; b++) {
        text.chunk(rowStart(b) + perRow, 1, inputs, targets, b);
      }
      return new Batch(inputs, targets, extraRows, 1, extraRows, false);
    }

    @Override
    public long charsBefore(long stepInEpoch) {
      long full = Math.min(stepInEpoch, fullSteps);
      long chars = (long) batch * Math.min(perRow, full * seq);
      return stepInEpoch > fullSteps ? chars + extraRows : chars;
    }
  }
}
