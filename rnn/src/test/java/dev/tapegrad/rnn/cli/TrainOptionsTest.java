package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.io.Json;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code train}'s options beyond the notebook, end to end through {@link Main#run}. */
class TrainOptionsTest {

  private static final String TEXT = "the cat sat on the mat; the dog sat on the log.\n".repeat(6);

  @TempDir Path dir;

  private Path text() throws IOException {
    return Files.writeString(dir.resolve("text.txt"), TEXT);
  }

  /**
   * Each cell trains stateful with dropout, validation every 3 steps and a cosine schedule; the run
   * saves the best model beside the latest, says which cell it is, and samples, evaluates and
   * resumes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gru", "lstm", "rnn"})
  void everyCellTrainsSamplesEvaluatesAndResumes(String cell) throws IOException {
    Path data = text();
    Path out = dir.resolve("run-" + cell);
    MainTest.Result r = MainTest.run("train", "--data", data.toString(), "--out", out.toString(), "--cell", cell,
        "--hidden", "8", "--layers", "2", "--dropout", "0.1", "--seq", "10", "--batch", "4", "--stateful",
        "--schedule", "cosine", "--warmup", "2", "--weight-decay", "0.01", "--eval-every", "3", "--steps", "7",
        "--sample-length", "5");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("-> " + cell.toUpperCase() + "(hidden 8, layers 2, dropout 0.1)"), r.out());
    assertTrue(r.out().contains("stateful chunks of 10, batch 4, lr"), r.out());
    assertTrue(r.out().contains("validation at step 3 | val "), r.out());
    assertEquals(cell, Safetensors.read(out.resolve(Checkpoint.MODEL_FILE)).metadata().get("cell"));
    assertEquals(cell, Safetensors.read(out.resolve(Checkpoint.BEST_MODEL_FILE)).metadata().get("cell"));

    // The best model is the one at the lowest validation loss measured, at a measured step.
    List<Map<String, Object>> validations = metrics(out).stream()
        .filter(m -> "validation".equals(m.get("event"))).toList();
    assertTrue(validations.size() >= 2, validations.toString());
    Map<String, Object> best = validations.stream()
        .min((a, b) -> Double.compare(num(a, "val_loss"), num(b, "val_loss"))).orElseThrow();
    assertEquals(Long.toString((long) num(best, "step")),
        Safetensors.read(out.resolve(Checkpoint.BEST_MODEL_FILE)).metadata().get("step"));
    MainTest.Result evalBest = MainTest.run("eval", "--checkpoint", out.resolve(Checkpoint.BEST_MODEL_FILE).toString(),
        "--data", data.toString(), "--json");
    assertEquals(0, evalBest.status(), evalBest.toString());

    MainTest.Result sample = MainTest.run("sample", "--checkpoint", out.toString(), "--length", "12");
    assertEquals(0, sample.status(), sample.toString());

    MainTest.Result resumed = MainTest.run("train", "--resume", out.toString(), "--steps", "9");
    assertEquals(0, resumed.status(), resumed.toString());
    assertEquals(9, Checkpoint.loadModel(out).step());
    assertTrue(resumed.out().contains(cell.toUpperCase() + "(hidden 8, layers 2, dropout 0.1)"), resumed.out());
  }

  @Test
  void theNotebookPresetIsTheNotebooksSettings() throws IOException {
    MainTest.Result r = MainTest.run("train", "--data", text().toString(), "--out", dir.resolve("nb").toString(),
        "--preset", "notebook", "--steps", "1", "--sample-length", "0");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("-> GRU(hidden 512, layers 1) -> "), r.out());
    assertTrue(r.out().contains("training (preset notebook): random chunks of 100, batch 1, lr 0.001 constant, clip 5.0"),
        r.out());
  }

  @Test
  void badOptionsAreOneLineNamingTheFlag() throws IOException {
    String data = text().toString();
    String help = " (see 'java -jar rnn.jar train --help')";
    MainTest.assertUsage(MainTest.run("train", "--data", data, "--cell", "transformer", "--steps", "1"),
        "error: unknown --cell 'transformer': choose gru, lstm or rnn" + help);
    MainTest.assertUsage(MainTest.run("train", "--data", data, "--dropout", "0.3", "--layers", "1", "--steps", "1"),
        "error: --dropout 0.3 acts between layers, so it needs --layers 2 or more" + help);
    MainTest.assertUsage(MainTest.run("train", "--data", data, "--schedule", "linear", "--steps", "1"),
        "error: unknown --schedule 'linear': choose constant, cosine or step" + help);
    MainTest.assertUsage(MainTest.run("train", "--data", data, "--preset", "fast", "--steps", "1"),
        "error: unknown --preset 'fast': choose notebook, data or embedded" + help);
    MainTest.assertUsage(MainTest.run("train", "--data", data, "--patience", "-2", "--steps", "1"),
        "error: --patience must be at least 0 (0: never stop early), got -2" + help);
    MainTest.assertUsage(MainTest.run("train", "--data", data, "--hidden", "100000000", "--steps", "1"),
        "error: --hidden 100,000,000 is too large: the gru's weights would have more than Java's limit of "
            + "2,147,483,647 elements in one array; with 16 characters the largest --hidden is 26,754" + help);
  }

  @Test
  void resumingCannotChangeTheModelsShape() throws IOException {
    Path out = dir.resolve("r");
    assertEquals(0, MainTest.run("train", "--data", text().toString(), "--out", out.toString(), "--hidden", "8",
        "--batch", "2", "--steps", "2", "--sample-length", "0").status());
    MainTest.assertUsage(MainTest.run("train", "--resume", out.toString(), "--cell", "lstm", "--steps", "3"),
        "error: the run in " + out + " is a 2-layer gru of width 8; --cell, --hidden and --layers cannot change when "
            + "resuming (see 'java -jar rnn.jar train --help')");
  }

  /** A run saved before presets existed resumes with the notebook's settings it was trained with. */
  @Test
  void aRunSavedBeforePresetsResumesWithTheNotebooksSettings() throws IOException {
    Path out = dir.resolve("old");
    assertEquals(0, MainTest.run("train", "--data", text().toString(), "--out", out.toString(), "--preset", "notebook",
        "--hidden", "8", "--batch", "2", "--steps", "2", "--sample-length", "0").status());
    Path stateFile = out.resolve(Checkpoint.STATE_FILE);
    Safetensors.Contents state = Safetensors.read(stateFile);
    Map<String, String> meta = new java.util.LinkedHashMap<>(state.metadata());
    for (String key : List.of("preset", "cell", "dropout", "stateful", "schedule", "warmup", "weight_decay",
        "eval_every", "patience", "dropout_random_state", "evals_since_best")) {
      meta.remove(key);
    }
    Safetensors.write(stateFile, state.tensors(), meta);

    MainTest.Result r = MainTest.run("train", "--resume", out.toString(), "--steps", "3");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("training (preset notebook): random chunks of 100, batch 2, lr 0.001 constant"), r.out());
  }

  private static List<Map<String, Object>> metrics(Path run) throws IOException {
    return Files.readAllLines(run.resolve(RunFiles.METRICS), StandardCharsets.UTF_8).stream().map(Json::parseObject)
        .toList();
  }

  private static double num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).doubleValue();
  }
}
