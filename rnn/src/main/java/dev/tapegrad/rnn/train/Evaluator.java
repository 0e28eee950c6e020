package dev.tapegrad.rnn.train;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.State;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.EncodedText;
import dev.tapegrad.tensor.TensorArena;
import java.util.List;

/**
 * Measures how well a model predicts a text: the mean cross-entropy of each next character given
 * all the previous ones.
 *
 * <p>The recurrent state starts at zeros and is carried through the whole text in chunks, so every
 * prediction sees everything before it (through the model's memory), exactly as when sampling.
 * Characters 1 … n−1 are predicted; the first has no context and is not scored.
 */
public final class Evaluator {

  /** The chunk length used to walk the text; it changes speed only, never the result. */
  public static final int DEFAULT_CHUNK = 256;

  /**
   * A measured loss.
   *
   * @param chars how many characters were predicted
   * @param natsPerChar the mean cross-entropy in nats (natural log)
   */
  public record Result(long chars, double natsPerChar) {
    /** Returns the same loss in bits per character, {@code nats / ln 2}. */
    public double bitsPerChar() {
      return natsPerChar / Math.log(2);
    }
  }

  private Evaluator() {}

  /**
   * Evaluates the model on a text, walking it as one stream: every prediction sees the whole text
   * before it.
   *
   * @param model the model
   * @param text the encoded text, at least two characters
   * @param chunk how many characters to run per forward pass, at least 1
   * @return the mean loss over {@code text.length() − 1} predictions
   * @throws IllegalArgumentException if the text has fewer than 2 characters or the chunk is below 1
   */
  public static Result evaluate(CharModel model, EncodedText text, int chunk) {
    return evaluate(model, text, chunk, 1);
  }

  /**
   * Evaluates the model on a text split into {@code streams} contiguous stretches that run side by
   * side as batch rows, each carrying its own state from its first character (the split of
   * {@link TrainingBatches.Stateful}). Every character but the first is predicted exactly once, as
   * with one stream; only each stretch's first predictions see less context, so the result is the
   * one-stream loss plus a small cold-start cost, at a fraction of the time (matrix products over
   * the rows instead of one matrix-vector product per character).
   *
   * @param model the model
   * @param text the encoded text, at least two characters
   * @param chunk how many characters each stream advances per forward pass, at least 1
   * @param streams how many stretches, at least 1 (fewer if the text is shorter)
   * @return the mean loss over {@code text.length() − 1} predictions
   * @throws IllegalArgumentException if the text has fewer than 2 characters, or chunk or streams is
   *     below 1
   */
  public static Result evaluate(CharModel model, EncodedText text, int chunk, int streams) {
    int length = text.length();
    if (length < 2) {
      throw new IllegalArgumentException("evaluation needs at least 2 characters, got " + length);
    }
    if (chunk < 1) {
      throw new IllegalArgumentException("the evaluation chunk must be at least 1 character, got " + chunk);
    }
    if (streams < 1) {
      throw new IllegalArgumentException("evaluation needs at least 1 stream, got " + streams);
    }
    TrainingBatches walk = new TrainingBatches.Stateful(text, chunk, Math.min(streams, length - 1));
    // each chunk's tape reuses the storage of the chunk before
    TensorArena arena = new TensorArena();
    double totalNats = 0;
    List<State> state = null;
    for (long s = 0; s < walk.stepsPerEpoch(); s++) {
      TrainingBatches.Batch b = walk.next(s, null);
      Tape tape = new Tape(arena);
      try (Tape.NoGrad off = tape.noGrad()) {
        List<State> initial = b.carryRows() == 0 ? null
            : state.stream().map(layer -> layer.firstRows(b.carryRows())).toList();
        CharModel.Forward f = model.forward(tape, b.inputs(), b.rows(), b.length(), initial, Implementation.FUSED);
        // The op returns the mean over this step's predictions; weight it by their number.
        totalNats += (double) SoftmaxCrossEntropy.apply(tape, f.logits(), b.targets()).value().item() * b.chars();
        // copied out of the arena, which the next chunk's tape takes back
        state = f.state().stream().map(State::detach).toList();
      }
    }
    return new Result(length - 1, totalNats / (length - 1));
  }
}
