package dev.tapegrad.rnn.visualize;

import dev.tapegrad.io.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A page written by {@link ActivationPage}, read back the way its script reads it, but in Java: the
 * JSON block {@code meta}, and the base64 block {@code payload} unpacked (gzip) into one byte per
 * layer, signal, unit and character.
 *
 * @param meta the page's JSON data
 * @param values the unit values, quantised
 */
public record PageData(Map<String, Object> meta, byte[] values) {

  private static final String META_START = "<script type=\"application/json\" id=\"meta\">";
  private static final String PAYLOAD_START = "<script type=\"text/plain\" id=\"payload\">";
  private static final String END = "</script>";

  /** Reads a page's data. */
  public static PageData parse(String html) {
    Map<String, Object> meta = Json.parseObject(block(html, META_START));
    byte[] packed = Base64.getDecoder().decode(block(html, PAYLOAD_START).trim());
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(packed))) {
      return new PageData(meta, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String block(String html, String start) {
    int from = html.indexOf(start);
    if (from < 0 || html.indexOf(start, from + 1) >= 0) {
      throw new AssertionError("the page should hold exactly one " + start);
    }
    from += start.length();
    return html.substring(from, html.indexOf(END, from));
  }

  /** {@return a number of the page's model description, such as hidden or layers} */
  public int model(String key) {
    return ((Number) ((Map<?, ?>) meta.get("model")).get(key)).intValue();
  }

  /** {@return the ids of the signals, in the page's order} */
  public List<String> signals() {
    return ((List<?>) meta.get("signals")).stream().map(s -> (String) ((Map<?, ?>) s).get("id")).toList();
  }

  /** {@return the text's length in characters} */
  public int length() {
    return ((String) meta.get("text")).codePointCount(0, ((String) meta.get("text")).length());
  }

  /**
   * Returns the value the page holds for one layer, signal, unit and character, dequantised (for an
   * LSTM's c, that is tanh(c)).
   */
  public double value(int layer, String signal, int unit, int t) {
    List<?> stored = (List<?>) ((Map<?, ?>) meta.get("payload")).get("signals");
    if (!stored.contains(signal)) {
      // an LSTM's h, as the page computes it: round(q_o (q_c − 127) / 255) + 127
      int o = values[at(stored, layer, "o", unit, t)] & 0xFF;
      int c = values[at(stored, layer, "c", unit, t)] & 0xFF;
      return ActivationPage.dequantiseState((byte) (Math.round(o * (c - 127) / 255.0) + 127));
    }
    int s = signals().indexOf(signal);
    boolean gate = (Boolean) ((Map<?, ?>) ((List<?>) meta.get("signals")).get(s)).get("gate");
    byte q = values[at(stored, layer, signal, unit, t)];
    return gate ? ActivationPage.dequantiseGate(q) : ActivationPage.dequantiseState(q);
  }

  private int at(List<?> stored, int layer, String signal, int unit, int t) {
    return ((layer * stored.size() + stored.indexOf(signal)) * model("hidden") + unit) * length() + t;
  }

  /** {@return the next-character ids the page lists after character t} */
  public List<Integer> topIds(int t) {
    return ((List<?>) ((List<?>) meta.get("top_ids")).get(t)).stream().map(x -> ((Number) x).intValue()).toList();
  }

  /** {@return their probabilities} */
  public List<Double> topProbabilities(int t) {
    return ((List<?>) ((List<?>) meta.get("top_p")).get(t)).stream().map(x -> ((Number) x).doubleValue()).toList();
  }

  /** {@return the loss on character t in bits, NaN for the first} */
  public double lossBits(int t) {
    Object loss = ((List<?>) meta.get("loss_bits")).get(t);
    return loss == null ? Double.NaN : ((Number) loss).doubleValue();
  }
}
