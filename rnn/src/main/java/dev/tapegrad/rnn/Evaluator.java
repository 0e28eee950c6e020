package dev.tapegrad.rnn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.nn.Gru;
import dev.tapegrad.ops.SoftmaxCrossEntropy;

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
   * Evaluates the model on a text.
   *
   * @param model the model
   * @param text the encoded text, at least two characters
   * @param chunk how many characters to run per forward pass, at least 1
   * @return the mean loss over {@code text.length() − 1} predictions
   * @throws IllegalArgumentException if the text has fewer than 2 characters or the chunk is below 1
   */
  public static Result evaluate(CharModel model, EncodedText text, int chunk) {
    int length = text.length();
    if (length < 2) {
      throw new IllegalArgumentException("evaluation needs at least 2 characters, got " + length);
    }
    if (chunk < 1) {
      throw new IllegalArgumentException("the evaluation chunk must be at least 1 character, got " + chunk);
    }
    Tape tape = new Tape();
    double totalNats = 0;
    try (Tape.NoGrad off = tape.noGrad()) {
      CharModel.State state = null;
      for (int pos = 0; pos < length - 1; pos += chunk) {
        int n = Math.min(chunk, length - 1 - pos);
        int[] inputs = new int[n];
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
          inputs[i] = text.id(pos + i);
          targets[i] = text.id(pos + i + 1);
        }
        CharModel.Forward f = model.forward(tape, inputs, 1, n, state, Gru.Implementation.FUSED);
        // The op returns the mean over this chunk; weight it by the chunk's length.
        totalNats += (double) SoftmaxCrossEntropy.apply(tape, f.logits(), targets).value().item() * n;
        state = f.state();
      }
    }
    return new Result(length - 1, totalNats / (length - 1));
  }
}
