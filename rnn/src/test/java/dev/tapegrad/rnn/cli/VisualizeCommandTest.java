package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.io.Json;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.visualize.PageData;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code rnn visualize} through {@link Main#run}: the page it writes, and its errors. */
class VisualizeCommandTest {

  private static final String TEXT = "Say \"hi\" (to [Ann]) now.\nThen {go} \"home\", Bob!\n";

  /** A tiny run trained once for the class (5 steps), and a text in its vocabulary. */
  @TempDir static Path shared;
  static Path run;
  static Path text;

  @TempDir Path dir;

  @BeforeAll
  static void trainATinyRun() throws IOException {
    text = Files.writeString(shared.resolve("text.txt"), TEXT.repeat(3));
    run = shared.resolve("run");
    Result r = run("train", "--preset", "notebook", "--data", text.toString(), "--hidden", "8", "--seq", "10",
        "--batch", "2", "--sample-length", "10", "--steps", "5", "--out", run.toString());
    assertEquals(0, r.status, r.toString());
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

  /**
   * A model file as another tool writes one from PyTorch (README, "Checkpoint format"): the
   * {@code state_dict} names and shapes of {@code nn.Embedding}, {@code nn.GRU/LSTM/RNN} and
   * {@code nn.Linear}, PyTorch's initialisation, and only the metadata the format asks for (no step).
   */
  static Path pyTorchStyleModel(Path dir, CellKind kind, int layers, int hidden, String text) {
    int[] vocab = text.codePoints().distinct().sorted().toArray();
    int v = vocab.length;
    int gates = (kind == CellKind.GRU ? 3 : kind == CellKind.LSTM ? 4 : 1) * hidden;
    SplittableRandom random = new SplittableRandom(kind.ordinal() * 7L + layers);
    float bound = (float) (1 / Math.sqrt(hidden));
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("encoder.weight", Tensor.randn(random, 0f, 1f, v, v));
    for (int k = 0; k < layers; k++) {
      tensors.put("rnn.weight_ih_l" + k, Tensor.uniform(random, -bound, bound, gates, k == 0 ? v : hidden));
      tensors.put("rnn.weight_hh_l" + k, Tensor.uniform(random, -bound, bound, gates, hidden));
      tensors.put("rnn.bias_ih_l" + k, Tensor.uniform(random, -bound, bound, gates));
      tensors.put("rnn.bias_hh_l" + k, Tensor.uniform(random, -bound, bound, gates));
    }
    tensors.put("decoder.weight", Tensor.uniform(random, -bound, bound, v, hidden));
    tensors.put("decoder.bias", Tensor.uniform(random, -bound, bound, v));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "tapegrad-charrnn/1");
    meta.put("cell", kind.id());
    meta.put("hidden", Integer.toString(hidden));
    meta.put("layers", Integer.toString(layers));
    meta.put("lowercase", "false");
    meta.put("vocab", Json.write(vocab));
    Path file = dir.resolve("torch-" + kind.id() + "-" + layers + ".safetensors");
    Safetensors.write(file, tensors, meta);
    return file;
  }

  @ParameterizedTest(name = "{0}, {1} layer(s)")
  @MethodSource("cellsAndLayers")
  void writesAPageForEveryCellAndLayerCountOfAModelTrainedElsewhere(CellKind kind, int layers) throws IOException {
    Path model = pyTorchStyleModel(dir, kind, layers, 5, TEXT);
    Path page = dir.resolve("page.html");
    Result r = run("visualize", "--checkpoint", model.toString(), "--text", text.toString(), "--max-chars", "40",
        "--out", page.toString());
    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.startsWith("wrote " + page + ": 40 characters, ") && r.out.endsWith("; open it in a browser\n"), r.out);
    PageData data = PageData.parse(Files.readString(page));
    assertEquals(TEXT.substring(0, 40), data.meta().get("text"));
    Map<?, ?> about = (Map<?, ?>) data.meta().get("model");
    assertEquals(List.of(kind.id(), (long) layers, 5L, 0L), List.of(about.get("cell"), about.get("layers"),
        about.get("hidden"), about.get("step")));
    assertNull(about.get("val_loss"), "a model trained elsewhere has no metrics beside it");
    assertEquals("the first 40 of the 144 characters of " + text, data.meta().get("source"));

    // the guesses after each character are those of the stepper of the model loaded from that file
    CharModel loaded = Checkpoint.loadModel(model).model();
    CharModel.Stepper stepper = loaded.stepper();
    int[] ids = Checkpoint.loadModel(model).vocab().encode(TEXT.substring(0, 40));
    for (int t = 0; t < ids.length; t++) {
      float[] logits = stepper.step(ids[t]);
      assertEquals(topIds(logits, Math.min(5, logits.length)), data.topIds(t), "after character " + t);
    }
  }

  @Test
  void pageOfATrainingRunShowsItsStepAndValidationLosses() throws IOException {
    Path page = dir.resolve("page.html");
    Result r = run("visualize", "--checkpoint", run.toString(), "--text", text.toString(), "--out", page.toString());
    assertEquals(0, r.status, r.toString());
    PageData data = PageData.parse(Files.readString(page));
    Map<?, ?> about = (Map<?, ?>) data.meta().get("model");
    assertEquals(5L, about.get("step"));
    List<Map<String, Object>> metrics = RunFiles.readMetrics(run);
    double last = ((Number) metrics.get(metrics.size() - 1).get("val_loss")).doubleValue();
    assertEquals(last, ((Number) about.get("val_loss")).doubleValue(), 0);
    assertEquals(run.resolve(Checkpoint.MODEL_FILE).toString(), about.get("checkpoint"));
    assertEquals(text + " (144 characters)", data.meta().get("source"));
  }

  @Test
  void sampledPageShowsThePrimeAndTheTextSampleWrites() throws IOException {
    Path page = dir.resolve("page.html");
    Result r = run("visualize", "--checkpoint", run.toString(), "--prime", "Say", "--length", "30", "--seed", "3",
        "--temperature", "0.5", "--out", page.toString());
    assertEquals(0, r.status, r.toString());
    Result sample = run("sample", "--checkpoint", run.toString(), "--prime", "Say", "--length", "30", "--seed", "3",
        "--temperature", "0.5");
    assertEquals(0, sample.status, sample.toString());
    assertEquals(sample.out, PageData.parse(Files.readString(page)).meta().get("text") + "\n");
  }

  @Test
  void jsonWritesTheDataInsteadOfAPage() throws IOException {
    Path file = dir.resolve("activations.json");
    Result r = run("visualize", "--checkpoint", run.toString(), "--text", text.toString(), "--max-chars", "12",
        "--json", "--out", file.toString());
    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.startsWith("wrote " + file + ": 12 characters, "), r.out);
    Map<String, Object> json = Json.parseObject(Files.readString(file));
    assertEquals(TEXT.substring(0, 12), json.get("text"));
    List<?> h = (List<?>) ((Map<?, ?>) ((List<?>) json.get("layers")).get(0)).get("h");
    assertEquals(12, h.size());
    assertEquals(8, ((List<?>) h.get(0)).size());
  }

  @Test
  void aWrongCommandLineIsAUsageError() {
    Path page = dir.resolve("page.html");
    String checkpoint = run.toString();
    List<List<String>> wrong = List.of(
        List.of("--checkpoint", checkpoint, "--out", page.toString()),
        List.of("--checkpoint", checkpoint, "--text", text.toString(), "--prime", "S", "--out", page.toString()),
        List.of("--checkpoint", checkpoint, "--text", text.toString()),
        List.of("--checkpoint", checkpoint, "--length", "5", "--out", page.toString()),
        List.of("--checkpoint", checkpoint, "--text", text.toString(), "--max-chars", "many", "--out", page.toString()));
    for (List<String> args : wrong) {
      List<String> all = new ArrayList<>(List.of("visualize"));
      all.addAll(args);
      Result r = run(all.toArray(String[]::new));
      assertEquals(2, r.status, r.toString());
      List<String> lines = errLines(r);
      assertEquals(1, lines.size(), r.toString());
      assertTrue(lines.get(0).startsWith("error: ") && !lines.get(0).startsWith("error: Error"), r.toString());
      assertTrue(lines.get(0).endsWith(" (see 'java -jar rnn.jar visualize --help')"), r.toString());
      assertFalse(Files.exists(page));
    }
  }

  @Test
  void badValuesAndInputsAreOneLineAndLeaveNoFile() throws IOException {
    Path page = dir.resolve("page.html");
    Path missing = dir.resolve("missing.txt");
    Path foreign = Files.writeString(dir.resolve("foreign.txt"), "Say Zoë");
    String checkpoint = run.toString();
    String help = " (see 'java -jar rnn.jar visualize --help')";
    assertFailure(page, 2, "error: --max-chars must be from 1 to 20000, got 0" + help, "--text", text.toString(),
        "--max-chars", "0");
    assertFailure(page, 2, "error: --length must be from 0 to 20000, got -1" + help, "--prime", "S", "--length", "-1");
    assertFailure(page, 2, "error: --temperature must be a finite number at least 0, got -0.5" + help, "--prime", "S",
        "--temperature", "-0.5");
    assertFailure(page, 1, "error: text file not found: " + missing, "--text", missing.toString());
    assertFailure(page, 1, "error: 2 characters are not in the model's vocabulary: 'Z', 'ë'", "--text",
        foreign.toString());
    Path nowhere = dir.resolve("no-such-dir").resolve("page.html");
    assertFailure(nowhere, 1, "error: cannot write " + nowhere + ": directory " + nowhere.getParent()
        + " does not exist", "--text", text.toString());
    Result r = run("visualize", "--checkpoint", dir.resolve("none.safetensors").toString(), "--text", text.toString(),
        "--out", page.toString());
    assertEquals(List.of("error: checkpoint " + dir.resolve("none.safetensors") + " does not exist"), errLines(r));
    assertEquals(1, r.status);
    assertFalse(Files.exists(page));
    assertTrue(checkpoint.length() > 0);
  }

  @Test
  void helpNamesBothSourcesAndTheJsonOption() {
    Result r = run("visualize", "--help");
    assertEquals(0, r.status, r.toString());
    for (String part : List.of("--text=FILE", "--max-chars=N", "--prime=TEXT", "--length=N", "--json", "--out=FILE",
        "--checkpoint=DIR_OR_FILE", "Examples:")) {
      assertTrue(r.out.contains(part), part + " in " + r.out);
    }
  }

  /** Runs visualize with {@code args}; it must exit with {@code status} (2: usage, 1: a bad input) and say {@code line}. */
  private static void assertFailure(Path page, int status, String line, String... args) {
    List<String> all = new ArrayList<>(List.of("visualize", "--checkpoint", run.toString(), "--out", page.toString()));
    all.addAll(List.of(args));
    Result r = run(all.toArray(String[]::new));
    assertEquals(status, r.status, r.toString());
    assertEquals(List.of(line), errLines(r));
    assertFalse(r.err.contains("Exception") || r.err.contains("at dev."), r.toString());
    assertFalse(Files.exists(page), "no page is left behind");
  }

  private static List<String> errLines(Result r) {
    return r.err.lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
  }

  /** The ids of the largest logits, largest first, ties to the lower id. */
  private static List<Integer> topIds(float[] logits, int top) {
    return java.util.stream.IntStream.range(0, logits.length).boxed()
        .sorted((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b))
        .limit(top).toList();
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(status, out.toString(), err.toString());
  }

  private record Result(int status, String out, String err) {}
}
