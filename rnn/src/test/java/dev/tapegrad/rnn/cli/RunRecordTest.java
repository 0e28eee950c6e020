package dev.tapegrad.rnn.cli;

import static dev.tapegrad.rnn.cli.MainTest.assertFailure;
import static dev.tapegrad.rnn.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run tells how it was made: its settings as readable JSON, its console kept, and --config to make it again. */
class RunRecordTest {

  private static final List<String> RUN = List.of("train", "--hidden", "8", "--seq", "12", "--batch", "3", "--lr",
      "0.005", "--seed", "3", "--sample-length", "20", "--eval-every", "2");

  @TempDir static Path shared;
  static Path text;
  static Path run;
  static MainTest.Result trained;

  @TempDir Path dir;

  @BeforeAll
  static void trainARun() throws IOException {
    text = Files.writeString(shared.resolve("words.txt"), "the cat sat on the mat; the dog ran far away.\n".repeat(12));
    run = shared.resolve("run");
    trained = run(with(RUN, "--data", text.toString(), "--epochs", "1", "--out", run.toString()));
    assertEquals(0, trained.status(), trained.toString());
  }

  @Test
  void theSettingsAreReadableJsonInTheRunAndOpenItsMetrics() throws IOException {
    String json = Files.readString(run.resolve(RunFiles.SETTINGS), StandardCharsets.UTF_8);
    assertTrue(json.startsWith("{\n  \"data\": "), json);
    assertTrue(json.contains("\n  \"lr\": 0.005,\n"), "a float as typed: " + json);
    assertTrue(json.contains("\n  \"hidden\": 8,\n"), json);
    assertTrue(json.contains("\n  \"stateful\": true,\n"), json);
    Map<String, Object> settings = Json.parseObject(json);
    assertEquals(text.toAbsolutePath().toString(), settings.get("data"));
    assertEquals("data", settings.get("preset"));
    assertEquals(1L, settings.get("epochs"));
    assertEquals(0L, settings.get("steps"));

    Map<String, Object> first = RunFiles.readMetrics(run).get(0);
    assertEquals("start", first.get("event"));
    assertEquals(0L, first.get("step"));
    assertEquals(settings, first.get("settings"));
    assertEquals(List.of("event", "step", "tapegrad", "java", "kernels", "settings"), new ArrayList<>(first.keySet()));
  }

  @Test
  void theLogKeepsWhatTheConsoleShowedAndAResumeAddsToIt() throws IOException {
    assertEquals(trained.out(), Files.readString(run.resolve(RunFiles.LOG), StandardCharsets.UTF_8));
    assertTrue(trained.out().contains("  sample (temperature"), "the epoch's sample is in it: " + trained.out());
    assertTrue(trained.out().contains("saved model.safetensors, training-state.safetensors, metrics.jsonl, loss.svg, "
        + "best-model.safetensors in " + run + "\n"), "the closing line names the best model: " + trained.out());

    Path copy = copy(run, dir.resolve("copy"));
    long epoch = Checkpoint.loadModel(copy).step();
    MainTest.Result resumed = run("train", "--resume", copy.toString(), "--steps", "" + (epoch + 2));
    assertEquals(0, resumed.status(), resumed.toString());
    assertEquals(trained.out() + resumed.out(), Files.readString(copy.resolve(RunFiles.LOG), StandardCharsets.UTF_8));
    List<Map<String, Object>> starts = RunFiles.readMetrics(copy).stream()
        .filter(m -> "start".equals(m.get("event"))).toList();
    assertEquals(List.of(0L, epoch), starts.stream().map(m -> m.get("step")).toList(), "one start per session");
  }

  /** --config FILE makes the same run again, bit for bit; a flag given overrides the file. */
  @Test
  void configMakesTheRunAgainAndFlagsOverrideIt() {
    Path again = dir.resolve("again");
    MainTest.Result r = run("train", "--config", run.resolve(RunFiles.SETTINGS).toString(), "--out", again.toString());
    assertEquals(0, r.status(), r.toString());
    for (String file : List.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE)) {
      Safetensors.Contents want = Safetensors.read(run.resolve(file));
      Safetensors.Contents got = Safetensors.read(again.resolve(file));
      assertEquals(want.tensors().keySet(), got.tensors().keySet());
      want.tensors().forEach((name, t) -> assertArrayEquals(t.storage(), got.tensors().get(name).storage(), file + name));
    }

    Path shorter = dir.resolve("shorter");
    assertEquals(0, run("train", "--config", run.resolve(RunFiles.SETTINGS).toString(), "--steps", "2", "--out",
        shorter.toString()).status());
    assertEquals(2, Checkpoint.loadModel(shorter).step());
    assertEquals(8, Checkpoint.loadModel(shorter).model().hidden());
  }

  @Test
  void aConfigWithAnUnknownSettingIsOneLineWithTheNearestName() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"hiden\": 8}");
    assertFailure(run("train", "--config", bad.toString(), "--out", dir.resolve("out").toString()), "error: " + bad
        + ": unknown setting 'hiden' (did you mean 'hidden'?)");
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  private static String[] with(List<String> args, String... more) {
    return Stream.concat(args.stream(), Stream.of(more)).toArray(String[]::new);
  }
}
