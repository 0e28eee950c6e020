package dev.tapegrad.rnn.visualize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.io.Json;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.RecurrentStepper;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import dev.tapegrad.rnn.train.Evaluator;
import dev.tapegrad.rnn.visualize.ActivationTrace.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page's numbers, read back from the HTML without a browser: they are the sampling stepper's
 * (the same guesses and probabilities, the same states and gates, up to the one-byte quantisation),
 * and its logits and losses agree with the batched forward pass, computed another way.
 */
class ActivationPageTest {

  /** A text with quotes, brackets, several lines, word starts and capitals. */
  static final String TEXT = "Say \"hi\" (to [Ann]) now.\nThen {go} \"home\", Bob!\n  x = f(a[1], \"q\");\n";

  /** The largest error of a quantised state (h, tanh c) and of a quantised gate, plus float slack. */
  private static final double STATE_STEP = 1 / 254.0 + 1e-6;
  private static final double GATE_STEP = 1 / 510.0 + 1e-6;

  @TempDir Path dir;

  static Stream<Arguments> cellsAndLayers() {
    List<Arguments> out = new ArrayList<>();
    for (CellKind kind : CellKind.values()) {
      for (int layers = 1; layers <= 2; layers++) {
        out.add(Arguments.of(kind, layers));
      }
    }
    return out.stream();
  }

  /** A seeded model for {@link #TEXT}'s characters. */
  static CharModel model(CellKind kind, int layers, int hidden, CharVocabulary vocab) {
    return CharModel.create(kind, vocab.size(), hidden, layers, new SplittableRandom(kind.ordinal() * 10L + layers));
  }

  static ActivationPage.About about() {
    return new ActivationPage.About("model.safetensors", 7, null, null, "a test text");
  }

  @ParameterizedTest(name = "{0}, {1} layer(s)")
  @MethodSource("cellsAndLayers")
  void pageHoldsTheSteppersGuessesStatesAndGates(CellKind kind, int layers) {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    CharModel model = model(kind, layers, 6, vocab);
    int[] ids = vocab.encode(TEXT);
    PageData page = PageData.parse(ActivationPage.html(ActivationTrace.record(model, vocab, ids), about()));
    assertEquals(TEXT, page.meta().get("text"));
    assertEquals(kind.id(), ((Map<?, ?>) page.meta().get("model")).get("cell"));
    assertEquals(List.of(layers, 6, vocab.size()), List.of(page.model("layers"), page.model("hidden"), page.model("vocab")));
    assertEquals(Signal.of(kind).stream().map(Signal::id).toList(), page.signals());

    // a fresh stepper, as sample runs it, read after every character
    CharModel.Stepper stepper = model.stepper();
    RecurrentStepper recurrent = stepper.recurrent();
    double[] previous = null;
    for (int t = 0; t < ids.length; t++) {
      if (t == 0) {
        assertTrue(Double.isNaN(page.lossBits(0)), "the first character has no loss");
      } else {
        assertEquals(-Math.log(previous[ids[t]]) / Math.log(2), page.lossBits(t), 1e-4, "loss on character " + t);
      }
      float[] logits = stepper.step(ids[t]);
      double[] p = softmax(logits);
      List<Integer> expected = topFive(logits);
      assertEquals(expected, page.topIds(t), "the guesses after character " + t);
      for (int k = 0; k < expected.size(); k++) {
        assertEquals(p[expected.get(k)], page.topProbabilities(t).get(k), 1e-5, "guess " + k + " after " + t);
      }
      for (int layer = 0; layer < layers; layer++) {
        for (int j = 0; j < 6; j++) {
          String where = "layer " + layer + " unit " + j + " after character " + t;
          // an LSTM's h is o tanh(c) from the stored o and tanh(c), quantised again
          double hStep = kind == CellKind.LSTM ? GATE_STEP + 2 * STATE_STEP : STATE_STEP;
          assertEquals(recurrent.hidden(layer)[j], page.value(layer, "h", j, t), hStep, "h, " + where);
          if (kind == CellKind.LSTM) {
            assertEquals(Math.tanh(recurrent.cell(layer)[j]), page.value(layer, "c", j, t), STATE_STEP, "c, " + where);
          }
          for (String gate : page.signals().subList(kind == CellKind.LSTM ? 2 : 1, page.signals().size())) {
            assertEquals(recurrent.gate(layer, gate)[j], page.value(layer, gate, j, t), GATE_STEP, gate + ", " + where);
          }
        }
      }
      previous = p;
    }
  }

  @ParameterizedTest(name = "{0}, {1} layer(s)")
  @MethodSource("cellsAndLayers")
  void pageProbabilitiesAndLossesAgreeWithTheBatchedForward(CellKind kind, int layers) {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    CharModel model = model(kind, layers, 6, vocab);
    int[] ids = vocab.encode(TEXT);
    ActivationTrace trace = ActivationTrace.record(model, vocab, ids);
    PageData page = PageData.parse(ActivationPage.html(trace, about()));
    // the composed reference network over the whole text at once: another summation order, another code path
    float[] all = model.forward(new Tape(), ids, 1, ids.length, null, Implementation.REFERENCE).logits().value().storage();
    int v = vocab.size();
    for (int t = 0; t < ids.length; t++) {
      float[] logits = new float[v];
      System.arraycopy(all, t * v, logits, 0, v);
      double[] p = softmax(logits);
      List<Integer> top = page.topIds(t);
      for (int k = 0; k < top.size(); k++) {
        assertEquals(p[top.get(k)], page.topProbabilities(t).get(k), 1e-4, "guess " + k + " after character " + t);
      }
    }
    double evaluated = Evaluator.evaluate(model, EncodedText.encode(vocab, TEXT), Evaluator.DEFAULT_CHUNK).bitsPerChar();
    assertEquals(evaluated, trace.meanLossBits(), 1e-5 * evaluated, "mean loss against the evaluator's");
    assertEquals(evaluated, ((Number) page.meta().get("mean_loss_bits")).doubleValue(), 1e-4);
  }

  @Test
  void pageLoadsNothingAndHidesNoScriptEndInItsData() {
    String text = "a</script><script>alert(1)</script>\u2028b";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    CharModel model = model(CellKind.GRU, 1, 3, vocab);
    String html = ActivationPage.html(ActivationTrace.record(model, vocab, vocab.encode(text)),
        new ActivationPage.About("m", 0, null, null, "</script> in the source"));
    assertEquals(text, PageData.parse(html).meta().get("text"));
    assertEquals(3, count(html, "<script"), "the meta block, the payload block and the page's one script");
    for (String external : List.of("src=", "href=", "<link", "@import", "url(", "fetch(", "XMLHttpRequest", "<iframe")) {
      assertFalse(html.contains(external), "the page must load nothing, but holds " + external);
    }
    // the one address in the page is SVG's namespace name, which is never fetched
    assertEquals(List.of("http://www.w3.org/2000/svg"), addresses(html));
  }

  @Test
  void jsonHoldsThePagesDataAndEveryValue() throws IOException {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    CharModel model = model(CellKind.LSTM, 2, 4, vocab);
    ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode(TEXT));
    Path file = dir.resolve("activations.json");
    ActivationPage.writeJson(file, trace, about());
    Map<String, Object> json = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
    assertEquals(ActivationPage.FORMAT, json.get("format"));
    assertEquals(TEXT, json.get("text"));
    assertEquals(7L, ((Map<?, ?>) json.get("model")).get("step"));
    assertNull(((List<?>) json.get("loss_bits")).get(0));
    List<?> layers = (List<?>) json.get("layers");
    assertEquals(2, layers.size());
    for (int layer = 0; layer < 2; layer++) {
      Map<?, ?> signals = (Map<?, ?>) layers.get(layer);
      assertEquals(List.of("h", "c", "i", "f", "o"), List.copyOf(signals.keySet()));
      for (Signal s : trace.signals()) {
        List<?> rows = (List<?>) signals.get(s.id());
        assertEquals(trace.length(), rows.size());
        for (int t = 0; t < trace.length(); t++) {
          List<?> row = (List<?>) rows.get(t);
          assertEquals(4, row.size());
          for (int j = 0; j < 4; j++) {
            // four decimals; the LSTM's c as c itself
            assertEquals(trace.value(layer, s, t, j), ((Number) row.get(j)).doubleValue(), 5e-5 + 1e-7,
                s.id() + " layer " + layer + " t " + t + " unit " + j);
          }
        }
      }
    }
  }

  @Test
  void pageOf2000CharactersAnd512UnitsPerLayerStaysUnder10Megabytes() throws IOException {
    // the largest page per character and unit: an LSTM keeps five values per unit, and two layers double them
    String text = Budget.text();
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    CharModel model = CharModel.create(CellKind.LSTM, vocab.size(), Budget.UNITS, 2, new SplittableRandom(3));
    String html = ActivationPage.html(ActivationTrace.record(model, vocab, vocab.encode(text)), about());
    long bytes = html.getBytes(StandardCharsets.UTF_8).length;
    assertTrue(bytes < Budget.MAX_BYTES, "the page has " + bytes + " bytes");
  }

  @Test
  void decimalsAreWrittenShortAndRounded() {
    List<String> out = new ArrayList<>();
    for (double v : new double[] {0, -0.0, 0.5, -0.12344, 0.99996, -3.00004, 1e-5, 12.25}) {
      StringBuilder sb = new StringBuilder();
      ActivationPage.appendDecimal(sb, v, 4);
      out.add(sb.toString());
    }
    assertEquals(List.of("0", "0", "0.5", "-0.1234", "1", "-3", "0", "12.25"), out);
  }

  @Test
  void quantisationKeepsZeroAndTheEnds() {
    assertEquals(0.0, ActivationPage.dequantiseState(ActivationPage.quantiseState(0)));
    assertEquals(1.0, ActivationPage.dequantiseState(ActivationPage.quantiseState(1.5)));
    assertEquals(-1.0, ActivationPage.dequantiseState(ActivationPage.quantiseState(-1)));
    assertEquals(0.0, ActivationPage.dequantiseGate(ActivationPage.quantiseGate(-0.1)));
    assertEquals(1.0, ActivationPage.dequantiseGate(ActivationPage.quantiseGate(1)));
    for (double v = -1; v <= 1; v += 0.001) {
      assertEquals(v, ActivationPage.dequantiseState(ActivationPage.quantiseState(v)), 1 / 254.0 + 1e-12);
      double g = (v + 1) / 2;
      assertEquals(g, ActivationPage.dequantiseGate(ActivationPage.quantiseGate(g)), 1 / 510.0 + 1e-12);
    }
  }

  /** softmax(logits) in double. */
  static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** The five largest logits' ids, by a sort rather than the trace's insertion: largest first, ties to the lower id. */
  static List<Integer> topFive(float[] logits) {
    return IntStream.range(0, logits.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparing(i -> i))
        .limit(Math.min(ActivationTrace.TOP, logits.length)).toList();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  private static List<String> addresses(String html) {
    List<String> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("https?://[^\\s'\"<>)]+").matcher(html);
    while (m.find()) {
      if (!out.contains(m.group())) {
        out.add(m.group());
      }
    }
    return out;
  }
}
