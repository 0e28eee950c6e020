package dev.tapegrad.rnn.visualize;

import dev.tapegrad.rnn.visualize.ActivationTrace.Signal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Simple features of a text, one number per character, and the units that follow each most
 * closely: how the quote-tracking and line-length cells of Karpathy, Johnson and Fei-Fei (2015,
 * "Visualizing and Understanding Recurrent Networks") are found without looking at every unit.
 *
 * <p>Each feature is the value after character t has been read, as the state is:
 * <ul>
 *   <li>{@link #INSIDE_QUOTES}: 1 after an opening {@code "} up to its closing one (a quote toggles).
 *   <li>{@link #INSIDE_BRACKETS}: 1 while more of {@code ( [ {} have opened than have closed.
 *   <li>{@link #POSITION_IN_LINE}: the character's column, 0 for the first of a line.
 *   <li>{@link #WORD_START}: 1 on a letter or digit that follows none.
 *   <li>{@link #UPPER_CASE}: 1 on an upper-case letter.
 * </ul>
 * A unit follows a feature as closely as the Pearson correlation between the feature and the
 * unit's state over the text says, whatever its sign; {@link #rank} ranks every state (h, and c
 * for an LSTM) of every layer by it.
 *
 * <pre>{@code
 * for (TextFeature.Ranked r : TextFeature.INSIDE_QUOTES.rank(trace, 5)) {
 *   System.out.println("layer " + r.layer() + " " + r.signal().id() + "[" + r.unit() + "]: " + r.correlation());
 * }
 * }</pre>
 */
public enum TextFeature {

  /** Inside a double-quoted string. */
  INSIDE_QUOTES("inside quotes") {
    @Override
    double[] values(int[] codePoints) {
      double[] out = new double[codePoints.length];
      boolean inside = false;
      for (int t = 0; t < codePoints.length; t++) {
        inside ^= codePoints[t] == '"';
        out[t] = inside ? 1 : 0;
      }
      return out;
    }
  },

  /** Inside round, square or curly brackets. */
  INSIDE_BRACKETS("inside brackets") {
    @Override
    double[] values(int[] codePoints) {
      double[] out = new double[codePoints.length];
      int depth = 0;
      for (int t = 0; t < codePoints.length; t++) {
        int c = codePoints[t];
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
          depth--;
        }
        out[t] = depth > 0 ? 1 : 0;
      }
      return out;
    }
  },

  /** The column in the line. */
  POSITION_IN_LINE("position in line") {
    @Override
    double[] values(int[] codePoints) {
      double[] out = new double[codePoints.length];
      int column = 0;
      for (int t = 0; t < codePoints.length; t++) {
        out[t] = column;
        column = codePoints[t] == '\n' ? 0 : column + 1;
      }
      return out;
    }
  },

  /** The first letter or digit of a word. */
  WORD_START("start of a word") {
    @Override
    double[] values(int[] codePoints) {
      double[] out = new double[codePoints.length];
      for (int t = 0; t < codePoints.length; t++) {
        boolean word = Character.isLetterOrDigit(codePoints[t]);
        out[t] = word && (t == 0 || !Character.isLetterOrDigit(codePoints[t - 1])) ? 1 : 0;
      }
      return out;
    }
  },

  /** An upper-case letter. */
  UPPER_CASE("upper case") {
    @Override
    double[] values(int[] codePoints) {
      double[] out = new double[codePoints.length];
      for (int t = 0; t < codePoints.length; t++) {
        out[t] = Character.isUpperCase(codePoints[t]) ? 1 : 0;
      }
      return out;
    }
  };

  /**
   * A unit and how closely it follows a feature.
   *
   * @param layer the layer, from 0
   * @param signal the state: h, or an LSTM's c
   * @param unit the unit, from 0
   * @param correlation the Pearson correlation with the feature, in [−1, 1]
   */
  public record Ranked(int layer, Signal signal, int unit, double correlation) {}

  private final String description;

  TextFeature(String description) {
    this.description = description;
  }

  /** {@return a few words for a page, for example "inside quotes"} */
  public String description() {
    return description;
  }

  /**
   * Returns the feature's value after each character.
   *
   * @param codePoints the text
   * @return one value per character
   */
  abstract double[] values(int[] codePoints);

  /**
   * Returns the units whose state follows this feature most closely over the trace's text, by the
   * absolute value of their correlation with it, largest first (ties: lower layer, then state in
   * {@link Signal#of} order, then lower unit). A unit whose state never changes correlates with
   * nothing and is left out.
   *
   * @param trace the trace
   * @param top how many units at most
   * @return the units; none if the feature is the same after every character (a text without
   *     quotes, say)
   */
  public List<Ranked> rank(ActivationTrace trace, int top) {
    int[] codePoints = trace.text().codePoints().toArray();
    double[] feature = values(codePoints);
    int length = feature.length;
    double mean = 0;
    for (double f : feature) {
      mean += f;
    }
    mean /= length;
    // centred feature and its sum of squares: r = Σ (f − f̄)(v − v̄) / √(Σ (f − f̄)² Σ (v − v̄)²)
    double[] centred = new double[length];
    double featureSquares = 0;
    for (int t = 0; t < length; t++) {
      centred[t] = feature[t] - mean;
      featureSquares += centred[t] * centred[t];
    }
    List<Ranked> all = new ArrayList<>();
    if (featureSquares == 0) {
      return all;
    }
    int hidden = trace.model().hidden();
    for (int layer = 0; layer < trace.model().layers(); layer++) {
      for (Signal signal : trace.signals()) {
        if (signal.gate()) {
          continue;
        }
        float[] v = trace.values(layer, signal);
        for (int j = 0; j < hidden; j++) {
          double unitMean = 0;
          for (int t = 0; t < length; t++) {
            unitMean += v[t * hidden + j];
          }
          unitMean /= length;
          double cross = 0;
          double unitSquares = 0;
          for (int t = 0; t < length; t++) {
            double d = v[t * hidden + j] - unitMean;
            cross += centred[t] * d;
            unitSquares += d * d;
          }
          if (unitSquares > 0) {
            all.add(new Ranked(layer, signal, j, cross / Math.sqrt(featureSquares * unitSquares)));
          }
        }
      }
    }
    // a stable sort keeps the layer, signal, unit order among equal correlations
    all.sort(Comparator.comparingDouble((Ranked r) -> -Math.abs(r.correlation())));
    return List.copyOf(all.subList(0, Math.min(top, all.size())));
  }
}
