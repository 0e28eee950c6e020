package dev.tapegrad.rnn.visualize;

import dev.tapegrad.io.AtomicFile;
import dev.tapegrad.io.Json;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.visualize.ActivationTrace.Signal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an {@link ActivationTrace} as one self-contained HTML page (its CSS and JavaScript inline,
 * nothing loaded from the network) that shows what the model computed while reading the text, or
 * as JSON with the same data for plotting elsewhere.
 *
 * <p>The page colours each character by the model's surprise on it (its loss, in bits), shows the
 * top {@value ActivationTrace#TOP} guesses for the next character on hover or click, colours the
 * text by any unit of any layer (h, the gates, an LSTM's c as tanh(c); the arrow keys step through
 * the units), lists the units that follow simple features of the text ({@link TextFeature}), and
 * draws each layer's gate saturation plot. Its script and style are
 * {@code activation-page.html}, beside this class.
 *
 * <p>The page's numbers: the text, each character's loss and guesses (probabilities to 5
 * decimals), the feature rankings and the saturation fractions are JSON in the page. The values of
 * every unit after every character are quantised to one byte each, unit by unit, which is what
 * keeps a page of 2,000 characters and 512 units per layer under 10 MB:
 * <pre>
 *   states (h, and tanh(c) for c), in (−1, 1):  q = round(127 v) + 127,  v ≈ (q − 127) / 127   (error ≤ 1/254)
 *   gates, in (0, 1):                           q = round(255 v),        v ≈ q / 255           (error ≤ 1/510)
 * </pre>
 * The bytes, ordered by layer, then signal ({@link Signal#of}), then unit, then character, are
 * gzip-compressed and base64-encoded into the page, which unpacks them with the browser's
 * {@code DecompressionStream} (Chrome 80, Firefox 113, Safari 16.4 and later).
 *
 * <p>Note: an LSTM's h is not stored. It is o ⊙ tanh(c) exactly, and the page computes it from the
 * stored o and tanh(c), {@code round(q_o (q_c − 127) / 255) + 127}, within 0.01 of h instead of
 * 1/254. That keeps an LSTM at four bytes per unit and character instead of five: two layers of 512
 * units over 2,000 characters are 8.2 MB of bytes, 10.9 MB in base64 (and the page about 11 MB) if
 * gzip could not shrink them at all. It does: to 0.71 to 0.79 of their size for the trained models measured (a GRU of 192
 * units, LSTMs of 256 units in one and two layers), which puts such a page near 8 MB, and far
 * more for untrained ones.
 *
 * <pre>{@code
 * ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode(text));
 * ActivationPage.writeHtml(Path.of("page.html"), trace, ActivationPage.About.of(loaded, "input.txt"));
 * }</pre>
 */
public final class ActivationPage {

  /** The {@code format} of the page's data and of the JSON file. */
  public static final String FORMAT = "tapegrad-activations/1";

  /** How many units each feature lists. */
  public static final int UNITS_PER_FEATURE = 5;

  /** The page's template: HTML, CSS and script, with the data's places marked. */
  private static final String TEMPLATE = "activation-page.html";
  private static final String META_MARK = "/*META*/";
  private static final String PAYLOAD_MARK = "/*PAYLOAD*/";

  /** Decimals kept for probabilities and losses in the page, and for values in the JSON file. */
  private static final double PROBABILITY_SCALE = 1e5;
  private static final double FRACTION_SCALE = 1e4;
  private static final int VALUE_DECIMALS = 4;

  /**
   * What the page says about the model and the text besides the trace.
   *
   * @param checkpoint the model file, as the user named it
   * @param step the training step it was saved at
   * @param valLoss the last validation loss measured in its run, in nats, or {@code null} if unknown
   * @param bestValLoss the lowest validation loss of its run, in nats, or {@code null} if unknown
   * @param source where the text came from, for example "the first 2,000 characters of input.txt"
   */
  public record About(String checkpoint, long step, Double valLoss, Double bestValLoss, String source) {

    /**
     * Describes a loaded checkpoint: its step, and its run's validation losses, read from the
     * {@value RunFiles#METRICS} beside the model file when there is one (a model trained elsewhere
     * has none).
     *
     * @param loaded the loaded model
     * @param source where the text came from
     * @return the description
     */
    public static About of(Checkpoint.Loaded loaded, String source) {
      Double last = null;
      Double best = null;
      Path dir = loaded.file().toAbsolutePath().getParent();
      List<Map<String, Object>> metrics;
      try {
        metrics = dir == null ? List.of() : RunFiles.readMetrics(dir);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        // a damaged metrics file only costs the page its validation losses
        metrics = List.of();
      }
      for (Map<String, Object> m : metrics) {
        if (m.get("val_loss") instanceof Number v) {
          last = v.doubleValue();
          best = best == null ? last : Math.min(best, last);
        }
        if (m.get("best_val_loss") instanceof Number b) {
          best = best == null ? b.doubleValue() : Math.min(best, b.doubleValue());
        }
      }
      return new About(loaded.file().toString(), loaded.step(), last, best, source);
    }
  }

  private ActivationPage() {}

  /**
   * Writes the page (atomically: a reader sees the old file or the whole new one).
   *
   * @param file the HTML file
   * @param trace what the model computed
   * @param about the model and the text
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeHtml(Path file, ActivationTrace trace, About about) {
    AtomicFile.write(file, html(trace, about).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the page.
   *
   * @param trace what the model computed
   * @param about the model and the text
   * @return the HTML document
   */
  public static String html(ActivationTrace trace, About about) {
    Map<String, Object> meta = meta(trace, about);
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("encoding", "gzip, base64");
    payload.put("order", "layer, signal, unit, character");
    payload.put("signals", stored(trace).stream().map(Signal::id).toList());
    payload.put("states", "q = round(127 v) + 127, v = h or tanh(c)");
    payload.put("gates", "q = round(255 v)");
    payload.put("derived", trace.signals().size() > stored(trace).size() ? "h = o tanh(c)" : null);
    meta.put("payload", payload);
    String template = template();
    String base64 = Base64.getEncoder().encodeToString(gzip(quantised(trace)));
    // '<' only occurs inside JSON strings, where \u003c means the same; so no "</script>" can end the block early
    String json = Json.write(meta).replace("<", "\\u003c");
    int metaAt = template.indexOf(META_MARK);
    int payloadAt = template.indexOf(PAYLOAD_MARK);
    return template.substring(0, metaAt) + json + template.substring(metaAt + META_MARK.length(), payloadAt)
        + base64 + template.substring(payloadAt + PAYLOAD_MARK.length());
  }

  /**
   * Writes the same data as JSON (atomically): the page's data, and under {@code layers} one
   * object per layer holding each signal as T rows of H values (to {@value #VALUE_DECIMALS}
   * decimals; the LSTM's c as c itself, not tanh(c)).
   *
   * @param file the JSON file
   * @param trace what the model computed
   * @param about the model and the text
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void writeJson(Path file, ActivationTrace trace, About about) {
    String head = Json.write(meta(trace, about));
    AtomicFile.write(file, channel -> {
      Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8);
      // the metadata object, left open for one more member
      out.write(head, 0, head.length() - 1);
      out.write(",\"layers\":[");
      int hidden = trace.model().hidden();
      StringBuilder number = new StringBuilder();
      for (int layer = 0; layer < trace.model().layers(); layer++) {
        out.write(layer == 0 ? "{" : ",{");
        List<Signal> signals = trace.signals();
        for (int s = 0; s < signals.size(); s++) {
          out.write((s == 0 ? "\"" : ",\"") + signals.get(s).id() + "\":[");
          float[] v = trace.values(layer, signals.get(s));
          for (int t = 0; t < trace.length(); t++) {
            out.write(t == 0 ? "[" : ",[");
            for (int j = 0; j < hidden; j++) {
              number.setLength(0);
              appendDecimal(number, v[t * hidden + j], VALUE_DECIMALS);
              if (j > 0) {
                out.write(',');
              }
              out.append(number);
            }
            out.write(']');
          }
          out.write(']');
        }
        out.write('}');
      }
      out.write("]}\n");
      // flushed, not closed: AtomicFile syncs and closes the channel itself
      out.flush();
    });
  }

  /** The page's and the JSON file's data, but the per-unit values. */
  static Map<String, Object> meta(ActivationTrace trace, About about) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("cell", trace.model().cell().id());
    model.put("layers", trace.model().layers());
    model.put("hidden", trace.model().hidden());
    model.put("vocab", trace.model().vocab());
    model.put("parameters", trace.model().parameterCount());
    model.put("step", about.step());
    model.put("checkpoint", about.checkpoint());
    model.put("val_loss", about.valLoss());
    model.put("best_val_loss", about.bestValLoss());

    int length = trace.length();
    List<Object> loss = new ArrayList<>(length);
    List<Object> topIds = new ArrayList<>(length);
    List<Object> topP = new ArrayList<>(length);
    for (int t = 0; t < length; t++) {
      loss.add(t == 0 ? null : round(trace.lossBits(t), PROBABILITY_SCALE));
      topIds.add(trace.topIds(t));
      double[] p = trace.topProbabilities(t);
      for (int k = 0; k < p.length; k++) {
        p[k] = round(p[k], PROBABILITY_SCALE);
      }
      topP.add(p);
    }
    List<Object> signals = new ArrayList<>();
    for (Signal s : trace.signals()) {
      signals.add(Map.of("id", s.id(), "description", s.description(), "gate", s.gate()));
    }
    List<Object> features = new ArrayList<>();
    for (TextFeature feature : TextFeature.values()) {
      List<Object> units = new ArrayList<>();
      for (TextFeature.Ranked r : feature.rank(trace, UNITS_PER_FEATURE)) {
        Map<String, Object> unit = new LinkedHashMap<>();
        unit.put("layer", r.layer());
        unit.put("signal", r.signal().id());
        unit.put("unit", r.unit());
        unit.put("r", round(r.correlation(), FRACTION_SCALE));
        units.add(unit);
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("feature", feature.description());
      f.put("units", units);
      features.add(f);
    }
    List<Object> saturation = new ArrayList<>();
    for (int layer = 0; layer < trace.model().layers(); layer++) {
      for (Signal s : trace.signals()) {
        if (s.gate()) {
          double[][] fractions = trace.saturation(layer, s);
          for (double[] side : fractions) {
            for (int j = 0; j < side.length; j++) {
              side[j] = round(side[j], FRACTION_SCALE);
            }
          }
          Map<String, Object> plot = new LinkedHashMap<>();
          plot.put("layer", layer);
          plot.put("gate", s.id());
          plot.put("left", fractions[0]);
          plot.put("right", fractions[1]);
          saturation.add(plot);
        }
      }
    }

    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("model", model);
    meta.put("source", about.source());
    meta.put("text", trace.text());
    meta.put("vocab", trace.vocab().codePoints());
    meta.put("mean_loss_bits", length > 1 ? round(trace.meanLossBits(), PROBABILITY_SCALE) : null);
    meta.put("loss_bits", loss);
    meta.put("top_ids", topIds);
    meta.put("top_p", topP);
    meta.put("signals", signals);
    meta.put("saturated_below", ActivationTrace.LEFT_SATURATED);
    meta.put("saturated_above", ActivationTrace.RIGHT_SATURATED);
    meta.put("features", features);
    meta.put("saturation", saturation);
    return meta;
  }

  /** The signals the page stores: all but an LSTM's h, which it computes from o and c. */
  static List<Signal> stored(ActivationTrace trace) {
    List<Signal> signals = trace.signals();
    return signals.contains(Signal.C) ? signals.stream().filter(s -> s != Signal.H).toList() : signals;
  }

  /** The one-byte values of every layer, stored signal, unit and character, in that order. */
  static byte[] quantised(ActivationTrace trace) {
    int length = trace.length();
    int hidden = trace.model().hidden();
    List<Signal> signals = stored(trace);
    byte[] out = new byte[trace.model().layers() * signals.size() * hidden * length];
    int at = 0;
    for (int layer = 0; layer < trace.model().layers(); layer++) {
      for (Signal signal : signals) {
        float[] v = trace.values(layer, signal);
        for (int j = 0; j < hidden; j++) {
          for (int t = 0; t < length; t++) {
            float x = v[t * hidden + j];
            out[at++] = signal.gate() ? quantiseGate(x) : quantiseState(signal == Signal.C ? Math.tanh(x) : x);
          }
        }
      }
    }
    return out;
  }

  /** A state in [−1, 1] as one byte: round(127 v) + 127, from 0 to 254. */
  static byte quantiseState(double v) {
    return (byte) (Math.round(Math.max(-1, Math.min(1, v)) * 127) + 127);
  }

  /** The state a byte of {@link #quantiseState} stands for. */
  static double dequantiseState(byte q) {
    return ((q & 0xFF) - 127) / 127.0;
  }

  /** A gate in [0, 1] as one byte: round(255 v). */
  static byte quantiseGate(double v) {
    return (byte) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }

  /** The gate a byte of {@link #quantiseGate} stands for. */
  static double dequantiseGate(byte q) {
    return (q & 0xFF) / 255.0;
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out, 1 << 16)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String template() {
    try (InputStream in = ActivationPage.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException("the page template " + TEMPLATE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the page template: " + e.getMessage(), e);
    }
  }

  private static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }

  /** Appends v rounded to {@code decimals} places, without trailing zeros: 0.5, -0.1234, 3. */
  static void appendDecimal(StringBuilder out, double v, int decimals) {
    long scale = (long) Math.pow(10, decimals);
    long q = Math.round(Math.abs(v) * scale);
    if (q != 0 && v < 0) {
      out.append('-');
    }
    out.append(q / scale);
    long fraction = q % scale;
    if (fraction != 0) {
      out.append('.');
      String digits = Long.toString(fraction + scale).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      out.append(digits, 0, end);
    }
  }
}
