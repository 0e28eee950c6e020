package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.checkpoint.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code train --resume} does with what it is given besides the run: each case either goes on
 * as the README says or is refused in one line that says what to do, and a refusal writes nothing.
 */
class ResumeRulesTest {

  /** The notebook's preset (random chunks, a constant rate), tiny. */
  private static final List<String> TINY = List.of("--preset", "notebook", "--hidden", "8", "--seq", "10",
      "--batch", "2", "--sample-length", "0");

  @TempDir static Path shared;
  static Path text;

  @TempDir Path dir;

  @BeforeAll
  static void writeAText() throws IOException {
    String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far"};
    SplittableRandom random = new SplittableRandom(7);
    StringBuilder out = new StringBuilder();
    while (out.length() < 600) {
      out.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ".\n" : " ");
    }
    text = Files.writeString(shared.resolve("words.txt"), out);
  }

  @Test
  void aRunAtItsBoundIsNotResumedAndNothingIsWritten() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, train("--data", text.toString(), "--steps", "5", "--out", run.toString()).status());
    Map<String, byte[]> before = snapshot(run);

    for (List<String> bounds : List.of(List.<String>of(), List.of("--steps", "5"), List.of("--steps", "3"))) {
      MainTest.Result r = train(concat(List.of("--resume", run.toString()), bounds));
      int given = bounds.isEmpty() ? 5 : Integer.parseInt(bounds.get(1));
      assertEquals(1, r.status(), r.toString());
      Matcher m = Pattern.compile("error: the run in " + Pattern.quote(run.toString()) + " already reached its bound, "
          + "--steps " + given + " \\(it is at step 5, epoch " + epochOf(run) + ", 0m00s trained\\): nothing was "
          + "trained or written; bounds count the whole run, so give a larger one to go on, for example: java -jar "
          + "rnn.jar train --resume " + Pattern.quote(run.toString()) + " --steps (\\d+)").matcher(r.errLines().get(0));
      assertTrue(m.matches(), r.err());
      assertTrue(Long.parseLong(m.group(1)) >= Math.max(2L * given, 5 + 1), "the example goes past step 5: " + r.err());
      assertEquals("", r.out());
      assertSameFiles(before, snapshot(run));
    }
    assertEquals(0, train("--resume", run.toString(), "--steps", "10").status(), "a larger bound goes on");
    assertEquals(10, Checkpoint.loadModel(run).step());
  }

  @Test
  void anotherTextIsRefusedAndTheSameTextMovedElsewhereIsAccepted() throws IOException {
    Path own = Files.copy(text, dir.resolve("own.txt"));
    Path run = dir.resolve("run");
    assertEquals(0, train("--data", own.toString(), "--steps", "3", "--out", run.toString()).status());
    Map<String, byte[]> before = snapshot(run);
    Path other = Files.writeString(dir.resolve("other.txt"), "a mat sat on the cat.\n".repeat(30));

    MainTest.Result r = train("--resume", run.toString(), "--data", other.toString(), "--steps", "6");
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.errLines().get(0).startsWith("error: --data " + other + " ("), r.err());
    assertTrue(r.errLines().get(0).contains(" is not the text the run in " + run + " trained on, "
        + own.toAbsolutePath() + " ("), r.err());
    assertTrue(r.errLines().get(0).contains("a resumed run keeps its text"), r.err());
    assertSameFiles(before, snapshot(run));

    // The run's own text, moved: without --data it is missing; named where it went, it is accepted.
    Path moved = Files.move(own, dir.resolve("moved.txt"));
    MainTest.Result gone = train("--resume", run.toString(), "--steps", "6");
    assertEquals(1, gone.status(), gone.toString());
    assertTrue(gone.errLines().get(0).startsWith("error: the text the run in " + run + " trained on, "
        + own.toAbsolutePath() + ", is gone: pass --data FILE with the same text"), gone.err());
    assertEquals(0, train("--resume", run.toString(), "--data", moved.toString(), "--steps", "6").status());
    assertEquals(6, Checkpoint.loadModel(run).step());

    // The same file, edited since: refused too.
    Files.writeString(moved, Files.readString(moved).replace("cat", "rat"));
    MainTest.Result edited = train("--resume", run.toString(), "--steps", "9");
    assertEquals(2, edited.status(), edited.toString());
    assertTrue(edited.errLines().get(0).startsWith("error: the text of the run in " + run + " changed since it "
        + "began: "), edited.err());
  }

  @Test
  void anotherPresetIsRefusedAndTheRunsOwnIsAccepted() throws IOException {
    Path run = dir.resolve("run");
    assertEquals(0, train("--data", text.toString(), "--steps", "3", "--out", run.toString()).status());
    Map<String, byte[]> before = snapshot(run);

    MainTest.Result r = MainTest.run("train", "--resume", run.toString(), "--preset", "data", "--steps", "6");

    MainTest.assertUsage(r, "error: the run in " + run + " was trained with --preset notebook, whose settings it "
        + "keeps; --preset data would only relabel it: pass the flags to change (such as --lr), or train a new run "
        + "with --preset data (see 'java -jar rnn.jar train --help')");
    assertSameFiles(before, snapshot(run));
    assertEquals(0, train("--resume", run.toString(), "--steps", "6").status(), "--preset notebook is its own");
  }

  /** The epoch's train_loss of a run stopped and resumed in its middle is the mean over all its steps. */
  @Test
  void anEpochResumedInItsMiddleReportsTheLossOfAllItsSteps() throws IOException {
    Path straight = dir.resolve("straight");
    assertEquals(0, train("--data", text.toString(), "--epochs", "1", "--out", straight.toString()).status());
    Map<String, Object> whole = lastRecord(straight, "epoch");
    long steps = ((Number) whole.get("step")).longValue();
    assertTrue(steps >= 4, "an epoch of several steps: " + steps);

    Path stopped = dir.resolve("stopped");
    assertEquals(0, train("--data", text.toString(), "--steps", "" + steps / 2, "--out", stopped.toString()).status());
    assertEquals(0, train("--resume", stopped.toString(), "--epochs", "1").status());

    Map<String, Object> resumed = lastRecord(stopped, "epoch");
    assertEquals(steps, ((Number) resumed.get("step")).longValue());
    assertEquals(whole.get("train_loss"), resumed.get("train_loss"), "the same steps, the same mean");
  }

  /**
   * The first validation saves a checkpoint when there is none yet, so a run that ends after it
   * (here it diverges; a kill is the same) can be resumed from it.
   */
  @Test
  void aRunEndedAfterItsFirstValidationCanBeResumedFromIt() {
    Path out = dir.resolve("diverged");
    MainTest.Result r = train("--data", text.toString(), "--steps", "50", "--lr", "2e37", "--eval-every", "1",
        "--out", out.toString());
    assertEquals(1, r.status(), r.toString());
    Matcher m = Pattern.compile("; the last good checkpoint \\(step (\\d+)\\) is kept in " + Pattern.quote(out.toString())
        + "; .* with --resume " + Pattern.quote(out.toString())).matcher(r.errLines().get(0));
    assertTrue(m.find(), r.err());
    long kept = Long.parseLong(m.group(1));
    assertTrue(kept >= 1, r.err());
    assertEquals(kept, Checkpoint.loadModel(out).step());
    // Resumed from it (its weights, after steps at that rate, may well diverge again: not the point here).
    MainTest.Result resumed = train("--resume", out.toString(), "--lr", "0.001", "--steps", "" + (kept + 2));
    assertTrue(resumed.out().contains("resuming " + out + " from step " + kept + "\n"), resumed.toString());
  }

  @Test
  void aRunStoppedBeforeItsFirstCheckpointSaysItCanOnlyStartAgain() throws IOException {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.writeString(run.resolve(RunFiles.METRICS), "{\"event\":\"validation\",\"step\":1}\n");

    MainTest.assertFailure(train("--resume", run.toString()), "error: the run in " + run + " stopped before its first "
        + "checkpoint, so there is nothing to resume; start it again with: java -jar rnn.jar train --config "
        + run.resolve(RunFiles.SETTINGS) + " --out " + run + " --force");
    MainTest.assertFailure(train("--data", text.toString(), "--out", run.toString()), "error: " + run + " holds a run "
        + "that stopped before its first checkpoint, which cannot be resumed; pass --force to replace it");
  }

  /** A link to the run is the run: resuming through it with --out the real directory and --force deletes nothing. */
  @Test
  void resumingThroughASymbolicLinkIntoTheRealDirectoryKeepsTheRunsFiles() throws IOException {
    Path real = dir.resolve("real");
    assertEquals(0, train("--data", text.toString(), "--steps", "5", "--eval-every", "2", "--out", real.toString())
        .status());
    Path link = Files.createSymbolicLink(dir.resolve("link"), real);
    byte[] best = Files.readAllBytes(real.resolve(Checkpoint.BEST_MODEL_FILE));
    long validations = RunFiles.readMetrics(real).stream().filter(m -> "validation".equals(m.get("event"))).count();

    MainTest.Result r = train("--resume", link.toString(), "--out", real.toString(), "--force", "--steps", "6");

    assertEquals(0, r.status(), r.toString());
    assertTrue(Files.exists(real.resolve(Checkpoint.BEST_MODEL_FILE)));
    assertTrue(RunFiles.readMetrics(real).stream().filter(m -> "validation".equals(m.get("event"))).count()
        >= validations, "the run's own metrics stay");
    assertEquals(5L, ((Number) RunFiles.readMetrics(real).stream().filter(m -> "end".equals(m.get("event")))
        .findFirst().orElseThrow().get("step")).longValue(), "the first session's end record is kept");
    assertTrue(best.length > 0);
  }

  private static int epochOf(Path run) {
    return ((Number) lastRecord(run, "end").get("epoch")).intValue();
  }

  private static Map<String, Object> lastRecord(Path run, String event) {
    List<Map<String, Object>> records = RunFiles.readMetrics(run).stream().filter(m -> event.equals(m.get("event")))
        .toList();
    assertTrue(!records.isEmpty(), "no " + event + " record in " + run);
    return records.get(records.size() - 1);
  }

  private static Map<String, byte[]> snapshot(Path run) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(run)) {
      for (Path f : list.toList()) {
        if (!f.getFileName().toString().equals(RunLock.FILE)) {
          files.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
      }
    }
    return files;
  }

  private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after) {
    assertEquals(before.keySet(), after.keySet(), "no file added or removed");
    before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + " unchanged"));
  }

  private static MainTest.Result train(String... args) {
    return train(Arrays.asList(args));
  }

  private static MainTest.Result train(List<String> args) {
    return MainTest.run(Stream.concat(Stream.of("train"), Stream.concat(TINY.stream(), args.stream()))
        .toArray(String[]::new));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return Stream.concat(a.stream(), b.stream()).toList();
  }
}
