package dev.tapegrad.rnn.visualize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.io.Json;
import dev.tapegrad.nn.RecurrentStepper;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.cli.Main;
import dev.tapegrad.rnn.text.CharVocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The page in a real browser: headless Chromium (Debian's {@code chromium} package, driven through
 * the DevTools protocol by {@link HeadlessChromium}) opens pages that {@code rnn.jar visualize}
 * wrote, waits for their script, and checks the DOM with real mouse and key events: the text is
 * there, the top 5 guesses after a clicked character are those the sampling stepper computes for
 * it, the arrow keys change the unit and recolour the text, with the unit's value at that character
 * equal to the stepper's, the page requested nothing but itself and logged no error. Each page's
 * screenshot goes to {@code rnn/target/visualize/}.
 *
 * <p>Without a browser the class is skipped, saying so; {@code .ci/run} installs Debian's
 * {@code chromium} when it is missing and can be installed. {@code -Dtapegrad.chromium=PATH} names
 * another Chromium or Chrome.
 */
class ActivationPageBrowserTest {

  private static final Duration READY = Duration.ofSeconds(60);
  private static final int WIDTH = 1280;
  private static final int HEIGHT = 900;

  @TempDir static Path work;
  static HeadlessChromium browser;
  static Path screenshots;

  @BeforeAll
  static void startChromium() throws IOException {
    Optional<Path> chromium = HeadlessChromium.find();
    if (chromium.isEmpty()) {
      String why = "no Chromium on this machine (install Debian's chromium package, or pass -Dtapegrad.chromium=PATH): "
          + "skipping the browser test of the activation page";
      System.out.println("SKIPPED: " + why);
      Assumptions.abort(why);
    }
    Path profile = Files.createDirectories(work.resolve("profile"));
    browser = HeadlessChromium.start(chromium.get(), profile, WIDTH, HEIGHT);
    browser.call("Runtime.enable", Map.of());
    browser.call("Log.enable", Map.of());
    browser.call("Network.enable", Map.of());
    browser.call("Page.enable", Map.of());
    screenshots = Files.createDirectories(Path.of("target", "visualize"));
  }

  @AfterAll
  static void stopChromium() {
    if (browser != null) {
      browser.close();
    }
  }

  static Stream<Arguments> cellsAndLayers() {
    List<Arguments> out = new ArrayList<>();
    for (CellKind kind : CellKind.values()) {
      for (int layers = 1; layers <= 2; layers++) {
        out.add(Arguments.of(kind, layers));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1} layer(s)")
  @MethodSource("cellsAndLayers")
  void pageShowsTheTextTheSteppersGuessesAndRecoloursForEachUnit(CellKind kind, int layers) throws Exception {
    String text = ActivationPageTest.TEXT;
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    CharModel model = CharModel.create(kind, vocab.size(), 12, layers, new SplittableRandom(kind.ordinal() + 10L * layers));
    Path checkpoint = work.resolve(kind.id() + layers + ".safetensors");
    Checkpoint.saveModel(checkpoint, model, vocab, 42);
    Path textFile = Files.writeString(work.resolve("text.txt"), text);
    Path page = work.resolve(kind.id() + layers + ".html");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new String[] {"visualize", "--checkpoint", checkpoint.toString(), "--text", textFile.toString(),
        "--out", page.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(0, status, err.toString());

    int before = browser.events().size();
    open(page);

    // the text, one box per character (a line end shows as ↵)
    int length = text.codePointCount(0, text.length());
    assertEquals((long) length, evaluate("document.querySelectorAll('#text span').length"));
    assertEquals(text.replace("\n", "↵\n"), evaluate("document.getElementById('text').textContent"));
    assertEquals("surprise", evaluate("document.getElementById('text').dataset.colouring"));

    // click a character: the side panel lists the stepper's top 5 guesses for the next one
    int chosen = text.indexOf("home") + 1;
    CharModel.Stepper stepper = Checkpoint.loadModel(checkpoint).model().stepper();
    float[] logits = null;
    int[] ids = vocab.encode(text);
    for (int t = 0; t <= chosen; t++) {
      logits = stepper.step(ids[t]);
    }
    double[] p = ActivationPageTest.softmax(logits);
    List<Integer> expected = ActivationPageTest.topFive(logits);
    clickCharacter(chosen);
    assertEquals((long) chosen, Long.parseLong((String) evaluate("document.getElementById('info').dataset.index")));
    List<?> rows = (List<?>) Json.parse((String) evaluate("JSON.stringify([...document.querySelectorAll('#top5 tr')]"
        + ".map(r => [+r.dataset.cp, r.querySelector('.ch').textContent, r.querySelector('td.p').textContent]))"));
    assertEquals(expected.size(), rows.size());
    for (int k = 0; k < rows.size(); k++) {
      List<?> row = (List<?>) rows.get(k);
      int codePoint = vocab.codePoint(expected.get(k));
      assertEquals((long) codePoint, row.get(0), "guess " + (k + 1));
      assertEquals(codePoint == ' ' ? "␣" : codePoint == '\n' ? "↵" : Character.toString(codePoint), row.get(1));
      String percent = (String) row.get(2);
      double shown = Double.parseDouble(percent.substring(0, percent.length() - 1));
      assertEquals(100 * p[expected.get(k)], shown, 0.051, "guess " + (k + 1) + " shows " + percent);
    }

    // colour by a unit, then step through units with the arrow keys
    clickSelector("#mode-unit");
    // a click on the kept character lets it go, a second keeps it again: the keyboard focus is now on the text
    clickCharacter(chosen);
    clickCharacter(chosen);
    assertEquals((long) chosen, Long.parseLong((String) evaluate("document.getElementById('info').dataset.index")));
    RecurrentStepper recurrent = stepper.recurrent();
    String colouring = colouring();
    String colours = colours();
    checkUnitValue(recurrent, colouring);
    browser.press("ArrowRight", 39);
    String next = colouring();
    String[] a = colouring.split(" ");
    String[] b = next.split(" ");
    assertEquals(List.of(a[0], a[1], a[2]), List.of(b[0], b[1], b[2]), "the same layer and value");
    assertEquals((Integer.parseInt(a[3]) + 1) % 12, Integer.parseInt(b[3]), "the next unit");
    assertNotEquals(colours, colours(), "another unit colours the text differently");
    checkUnitValue(recurrent, next);
    browser.press("ArrowLeft", 37);
    assertEquals(colouring, colouring());
    assertEquals(colours, colours(), "back to the first unit, back to its colours");

    // a unit listed under a feature is one click away
    Object firstFeature = evaluate("(() => { const b = document.querySelector('#feature-table button'); "
        + "return b ? b.textContent : null; })()");
    if (firstFeature != null) {
      clickSelector("#feature-table button");
      String[] f = ((String) firstFeature).split("[ \\[\\]]+");
      assertEquals("layer " + f[1] + " " + f[2] + " " + f[3], colouring(), "the feature's unit: " + firstFeature);
    }
    // and so is a gate, from its saturation plot
    if (kind != CellKind.RNN) {
      List<?> dot = (List<?>) evaluate("(() => { const c = document.querySelector('#gate-plots circle'); "
          + "c.scrollIntoView({block: 'center'}); const r = c.getBoundingClientRect(); const x = r.left + r.width / 2, "
          + "y = r.top + r.height / 2; const top = document.elementFromPoint(x, y); "
          + "return [x, y, top.closest('svg').dataset.layer, top.querySelector('title').textContent]; })()");
      browser.click(((Number) dot.get(0)).doubleValue(), ((Number) dot.get(1)).doubleValue());
      String title = (String) dot.get(3);
      String gate = title.substring(0, title.indexOf('['));
      String unit = title.substring(title.indexOf('[') + 1, title.indexOf(']'));
      assertEquals("layer " + dot.get(2) + " " + gate + " " + unit, colouring());
    }

    // the view is kept in the address, and an address with a view opens in it
    String[] view = colouring().split(" ");
    assertEquals("#mode=unit&layer=" + view[1] + "&value=" + view[2] + "&unit=" + view[3] + "&char=" + chosen,
        evaluate("location.hash"));
    Files.write(screenshots.resolve(kind.id() + "-" + layers + (layers == 1 ? "-layer" : "-layers") + ".png"),
        browser.screenshot());
    browser.call("Page.navigate", Map.of("url", "about:blank"));
    browser.waitFor("location.href === 'about:blank'", READY);
    open(page, "#mode=unit&layer=" + (layers - 1) + "&value=h&unit=5&char=7");
    assertEquals("layer " + (layers - 1) + " h 5", colouring());
    assertEquals("7", evaluate("document.getElementById('info').dataset.index"));
    assertNoErrorsAndNoRequests(browser.events().subList(before, browser.events().size()), page);
  }

  @Test
  void pagesOf2000CharactersAnd512UnitsBecomeInteractiveAndStayUnder10Megabytes() throws Exception {
    String text = Budget.text();
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    for (CellKind kind : List.of(CellKind.GRU, CellKind.LSTM)) {
      for (int layers = 1; layers <= 2; layers++) {
        CharModel model = CharModel.create(kind, vocab.size(), Budget.UNITS, layers, new SplittableRandom(layers));
        long start = System.nanoTime();
        ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode(text));
        Path page = work.resolve("budget-" + kind.id() + layers + ".html");
        ActivationPage.writeHtml(page, trace, ActivationPageTest.about());
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        long bytes = Files.size(page);
        assertTrue(bytes < Budget.MAX_BYTES, page + " has " + bytes + " bytes");

        int before = browser.events().size();
        long opened = System.nanoTime();
        open(page);
        double wallMs = (System.nanoTime() - opened) / 1e6;
        double readyMs = ((Number) evaluate("window.tapegradReadyMs")).doubleValue();
        System.out.printf(Locale.ROOT, "activation page, %,d characters × %d units × %d %s %s: %.2f MB, written in %.1f s, "
            + "interactive %.0f ms after navigation started (%.0f ms from the DevTools call to ready; %s)%n",
            Budget.CHARS, Budget.UNITS, layers, layers == 1 ? "layer," : "layers,", kind, bytes / 1e6, writeSeconds, readyMs,
            wallMs, evaluate("JSON.stringify(window.tapegradTimings, (k, v) => typeof v === 'number' ? Math.round(v) : v)"));
        clickSelector("#mode-unit");
        assertTrue(((String) evaluate("document.getElementById('text').dataset.colouring")).startsWith("layer "));
        assertNoErrorsAndNoRequests(browser.events().subList(before, browser.events().size()), page);
      }
    }
  }

  @Test
  void pageUnpacksTheSameValuesWithoutUint8ArrayFromBase64() throws Exception {
    // older browsers lack Uint8Array.fromBase64; the page then decodes through atob
    String text = ActivationPageTest.TEXT;
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    CharModel model = CharModel.create(CellKind.LSTM, vocab.size(), 8, 2, new SplittableRandom(5));
    Path page = work.resolve("without-fromBase64.html");
    ActivationPage.writeHtml(page, ActivationTrace.record(model, vocab, vocab.encode(text)), ActivationPageTest.about());
    String all = "Array.from({length: " + 2 * 5 + "}, (_, k) => { const [l, s] = [k / 5 | 0, k % 5]; "
        + "return Array.from({length: 8}, (_, u) => { document.getElementById('layer').value = l; "
        + "document.getElementById('layer').dispatchEvent(new Event('change')); document.getElementById('signal').value = s; document.getElementById('signal').dispatchEvent(new Event('change')); "
        + "document.getElementById('unit').value = u; document.getElementById('unit').dispatchEvent(new Event('change')); "
        + "return document.getElementById('text').dataset.colouring + ':' + Array.from(document.querySelectorAll('#text span'), "
        + "x => x.style.backgroundColor).join('|'); }).join('\\n'); }).join('\\n')";
    int before = browser.events().size();
    open(page);
    assertEquals(true, evaluate("typeof Uint8Array.fromBase64 === 'function'"), "this Chromium has fromBase64");
    String fast = (String) evaluate(all);
    assertEquals(80, fast.lines().count(), "2 layers × 5 values × 8 units");
    assertTrue(fast.contains("layer 0 h 0:rgb(") && fast.contains("layer 1 o 7:rgb("), fast);
    String id = (String) browser.call("Page.addScriptToEvaluateOnNewDocument",
        Map.of("source", "delete Uint8Array.fromBase64;")).get("identifier");
    try {
      browser.call("Page.navigate", Map.of("url", "about:blank"));
      browser.waitFor("location.href === 'about:blank'", READY);
      open(page);
      assertEquals(false, evaluate("typeof Uint8Array.fromBase64 === 'function'"));
      assertEquals(fast, evaluate(all), "every unit's colours, decoded either way");
    } finally {
      browser.call("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
    }
    assertNoErrorsAndNoRequests(browser.events().subList(before, browser.events().size()), page);
  }

  /** Navigates to the page and waits until its script has unpacked the unit values. */
  private static void open(Path page) throws InterruptedException {
    open(page, "");
  }

  /** Navigates to the page with a {@code #fragment} (or none) and waits until it is ready. */
  private static void open(Path page, String fragment) throws InterruptedException {
    browser.call("Page.navigate", Map.of("url", page.toUri() + fragment));
    browser.waitFor("document.readyState === 'complete' && location.href.split('#')[0] === '" + page.toUri() + "' && "
        + "document.body.dataset.ready !== 'false'", READY);
    assertEquals("true", evaluate("document.body.dataset.ready"), () -> "the page failed: "
        + evaluate("document.getElementById('banner').textContent"));
  }

  private static Object evaluate(String expression) {
    return browser.evaluate(expression);
  }

  private static String colouring() {
    return (String) evaluate("document.getElementById('text').dataset.colouring");
  }

  private static String colours() {
    return (String) evaluate("Array.from(document.querySelectorAll('#text span'), s => s.style.backgroundColor).join('|')");
  }

  /** Checks that the side panel shows the stepper's value of the unit the text is coloured by. */
  private static void checkUnitValue(RecurrentStepper recurrent, String colouring) {
    String[] parts = colouring.split(" ");
    int layer = Integer.parseInt(parts[1]);
    int unit = Integer.parseInt(parts[3]);
    double expected = switch (parts[2]) {
      case "h" -> recurrent.hidden(layer)[unit];
      case "c" -> Math.tanh(recurrent.cell(layer)[unit]);
      default -> recurrent.gate(layer, parts[2])[unit];
    };
    String shown = ((String) evaluate("document.querySelector('#info-unit b').textContent")).replace('−', '-');
    // one byte's rounding, three decimals shown; an LSTM's h comes from o and tanh(c), each rounded
    double step = parts[2].equals("h") && recurrent.gateNames().contains("o") ? 1 / 510.0 + 3 / 254.0 : 1 / 254.0;
    assertEquals(expected, Double.parseDouble(shown), step + 0.0005 + 1e-6, colouring + " shows " + shown);
  }

  private static void clickCharacter(int t) {
    List<?> centre = (List<?>) evaluate("(() => { const s = document.querySelector('#text span[data-i=\"" + t + "\"]'); "
        + "s.scrollIntoView({block: 'center'}); const r = s.getBoundingClientRect(); "
        + "return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    browser.click(((Number) centre.get(0)).doubleValue(), ((Number) centre.get(1)).doubleValue());
  }

  private static void clickSelector(String selector) {
    List<?> centre = (List<?>) evaluate("(() => { const e = document.querySelector('" + selector + "'); "
        + "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); "
        + "return [r.left + r.width / 2, r.top + r.height / 2]; })()");
    browser.click(((Number) centre.get(0)).doubleValue(), ((Number) centre.get(1)).doubleValue());
  }

  /** No exception, no console or log error, and no request but the page itself. */
  private static void assertNoErrorsAndNoRequests(List<Map<String, Object>> events, Path page) {
    List<String> problems = new ArrayList<>();
    for (Map<String, Object> e : events) {
      Object method = e.get("method");
      Map<?, ?> params = (Map<?, ?>) e.get("params");
      if ("Runtime.exceptionThrown".equals(method)) {
        problems.add("exception: " + params.get("exceptionDetails"));
      } else if ("Runtime.consoleAPICalled".equals(method)
          && List.of("error", "assert", "warning").contains(params.get("type"))) {
        problems.add("console " + params.get("type") + ": " + params.get("args"));
      } else if ("Log.entryAdded".equals(method) && "error".equals(((Map<?, ?>) params.get("entry")).get("level"))) {
        problems.add("log: " + params.get("entry"));
      } else if ("Network.requestWillBeSent".equals(method)) {
        String url = (String) ((Map<?, ?>) params.get("request")).get("url");
        if (!url.equals(page.toUri().toString())) {
          problems.add("request: " + url);
        }
      }
    }
    assertEquals(List.of(), problems, "the page's errors and requests");
  }
}
