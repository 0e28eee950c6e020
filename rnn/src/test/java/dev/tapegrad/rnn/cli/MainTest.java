package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.io.Json;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.checkpoint.RunLock;
import dev.tapegrad.rnn.sample.Sampler;
import dev.tapegrad.tensor.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line through {@link Main#run}, as a user sees it: exit status, standard output and error. */
class MainTest {

  private static final String SMALL_TEXT = "the cat sat on the mat.\n".repeat(3);
  /** The notebook's preset (random chunks, constant rate), small: the step and character counts below rely on it. */
  private static final List<String> TINY_RUN = List.of("--preset", "notebook", "--hidden", "8", "--seq", "10",
      "--batch", "2", "--sample-length", "10");

  /** A run of 5 steps trained once for the whole class; tests that change it copy it first. */
  @TempDir static Path shared;
  static Path small;
  static Path run;
  static Result trained;

  @TempDir Path dir;

  @BeforeAll
  static void trainATinyRun() throws IOException {
    small = Files.writeString(shared.resolve("small.txt"), SMALL_TEXT);
    run = shared.resolve("run");
    trained = train("--data", small.toString(), "--steps", "5", "--out", run.toString());
  }

  @Test
  void versionNamesTheKernelBackend() {
    Result r = run("--version");
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.startsWith("tapegrad "), r.out);
    assertTrue(r.out.contains("kernels: " + Backend.current() + "\n"), r.out);
    assertEquals(List.of(), r.errLines());
  }

  @Test
  void unknownFlagIsAUsageErrorWithAHint() {
    Result r = run("train", "--bogus");
    assertUsage(r, "error: Unknown option: '--bogus' (see 'java -jar rnn.jar train --help')");
    assertEquals("", r.out);

    assertUsage(run("--bogus"), "error: Unknown option: '--bogus' (see 'java -jar rnn.jar --help')");
  }

  @Test
  void unknownCommandIsCalledSoAndTheCommandsAreListed() {
    assertUsage(run("trian"), "error: unknown command 'trian'; did you mean train? The commands are train, sample, "
        + "eval, bench, graph, visualize, help, version (see 'java -jar rnn.jar --help')");
    assertUsage(run("xyzzy"), "error: unknown command 'xyzzy'; the commands are train, sample, eval, bench, graph, "
        + "visualize, help, version (see 'java -jar rnn.jar --help')");
  }

  @Test
  void everyCommandPrintsTheVersion() {
    for (String command : List.of("train", "sample", "eval", "bench", "graph")) {
      Result r = run(command, "--version");
      assertEquals(0, r.status, r.err);
      assertEquals(run("--version").out, r.out, command);
    }
  }

  @Test
  void malformedNumberIsAUsageError() {
    Result r = run("sample", "--length", "many");
    assertUsage(r, "error: Invalid value for option '--length': 'many' is not a whole number (see 'java -jar rnn.jar "
        + "sample --help')");
    // nanoGPT's spelling sets the same value, and an error names it as typed
    assertUsage(run("sample", "--max-new-tokens", "many"), "error: Invalid value for option '--max-new-tokens': "
        + "'many' is not a whole number (see 'java -jar rnn.jar sample --help')");
  }

  @Test
  void anOutOfRangeValueIsAUsageErrorNamingTheFlagLikeAMalformedOne() {
    assertUsage(run("train", "--data", small.toString(), "--hidden", "0", "--steps", "1"),
        "error: --hidden must be at least 1, got 0 (see 'java -jar rnn.jar train --help')");
    assertUsage(run("sample", "--length", "-1"), "error: --length must be at least 0, got -1 (see 'java -jar rnn.jar "
        + "sample --help')");
    assertUsage(run("eval", "--data", small.toString(), "--held-out", "2"), "error: --held-out must be in (0, 1), got "
        + "2.0 (see 'java -jar rnn.jar eval --help')");
  }

  @Test
  void threadsOutsideWhatAPoolTakesAreOneLineNamingTheFlag() {
    for (String command : List.of("train", "bench")) {
      assertUsage(run(command, "--threads", "0"), "error: --threads must be at least 1, got 0 (see 'java -jar "
          + "rnn.jar " + command + " --help')");
      assertUsage(run(command, "--threads", "40000"), "error: --threads must be at most 32767, got 40000 (see 'java "
          + "-jar rnn.jar " + command + " --help')");
    }
  }

  @Test
  void noCommandPrintsUsageToTheGivenStreams() {
    Result r = run();
    assertEquals(2, r.status);
    assertTrue((r.out + r.err).contains("Usage: java -jar rnn.jar"), "usage goes to the writers given to run: " + r);
    assertTrue((r.out + r.err).contains("train"), r.toString());
  }

  @Test
  void missingTrainingFileIsOneLineNamingIt() {
    Path missing = dir.resolve("missing.txt");
    Result r = train("--data", missing.toString(), "--steps", "1", "--out", dir.resolve("out").toString());
    assertFailure(r, "error: text file not found: " + missing);
  }

  @Test
  void emptyTrainingFileIsOneLineNamingIt() throws IOException {
    Path empty = Files.writeString(dir.resolve("empty.txt"), "");
    Result r = train("--data", empty.toString(), "--steps", "1", "--out", dir.resolve("out").toString());
    assertFailure(r, "error: " + empty + " is empty; expected a non-empty text file");
  }

  @Test
  void directoryGivenAsTrainingFileIsOneLineNamingIt() {
    Result r = train("--data", dir.toString(), "--steps", "1", "--out", dir.resolve("out").toString());
    assertFailure(r, "error: " + dir + " is a directory; expected a UTF-8 text file");
  }

  @Test
  void textShorterThanOneChunkIsAReadableErrorAndLeavesNoRunBehind() throws IOException {
    Path text = Files.writeString(dir.resolve("short.txt"), "abcdefghij\n");
    Path out = dir.resolve("out");
    Result r = run("train", "--preset", "notebook", "--data", text.toString(), "--hidden", "8", "--seq", "50",
        "--steps", "1", "--out", out.toString());
    assertFailure(r, "error: the training text has 10 characters; --seq 50 needs at least 51 "
        + "(use a longer text or a smaller --seq)");
    assertFalse(Files.exists(out), "a run that never started leaves no output directory");
  }

  @Test
  void corruptCheckpointIsOneLineNamingTheFile() throws IOException {
    byte[] noise = new byte[4096];
    new SplittableRandom(8).nextBytes(noise);
    Path corrupt = Files.write(dir.resolve("corrupt.safetensors"), noise);
    Result r = run("sample", "--checkpoint", corrupt.toString());
    assertEquals(1, r.status);
    assertEquals(1, r.errLines().size(), r.err);
    assertTrue(r.errLines().get(0).startsWith("error: " + corrupt + ": "), r.err);
    assertNoStackTrace(r);

    // A text file given as a checkpoint: its first eight bytes, read as a header length, are far too many.
    Path text = Files.writeString(dir.resolve("notes.txt"), "these are notes, not weights\n");
    assertFailure(run("eval", "--checkpoint", text.toString(), "--data", small.toString()), "error: " + text
        + ": header length 8241904413164529780 is above the 100000000-byte limit: not a safetensors file");
  }

  @Test
  void missingCheckpointIsOneLineNamingIt() {
    Path absent = dir.resolve("absent.safetensors");
    assertFailure(run("sample", "--checkpoint", absent.toString()), "error: checkpoint " + absent + " does not exist");
  }

  @Test
  void evalListsCharactersOutsideTheModelsVocabulary() throws IOException {
    Path text = Files.writeString(dir.resolve("other.txt"), "the Quiet cat\n");
    Result r = run("eval", "--checkpoint", run.toString(), "--data", text.toString());
    assertFailure(r, "error: 3 characters are not in the model's vocabulary: 'Q', 'u', 'i'; --skip-unknown "
        + "evaluates the rest");
  }

  @Test
  void evalSkipsUnknownCharactersWhenAskedAndCountsThem() throws IOException {
    Path text = Files.writeString(dir.resolve("other.txt"), "the Quiet cat\n");
    Path known = Files.writeString(dir.resolve("known.txt"), "the et cat\n");
    Result skipped = run("eval", "--checkpoint", run.toString(), "--data", text.toString(), "--skip-unknown", "--json");
    assertEquals(0, skipped.status, skipped.toString());
    Map<String, Object> m = Json.parseObject(skipped.out.strip());
    assertEquals(3L, ((Number) m.get("skipped")).longValue());
    Result same = run("eval", "--checkpoint", run.toString(), "--data", known.toString(), "--json");
    assertEquals(((Number) Json.parseObject(same.out.strip()).get("nats_per_char")).doubleValue(),
        ((Number) m.get("nats_per_char")).doubleValue(), "the text without them is what is evaluated");

    Result plain = run("eval", "--checkpoint", run.toString(), "--data", text.toString(), "--skip-unknown");
    assertTrue(plain.out.endsWith(" | 10 characters predicted | 3 skipped: 3 characters are not in the model's "
        + "vocabulary: 'Q', 'u', 'i'\n"), plain.out);
  }

  @Test
  void trainRefusesToOverwriteAnotherRun() {
    Result r = train("--data", small.toString(), "--steps", "1", "--out", run.toString());
    assertFailure(r, "error: " + run + " already holds a training run; pass --force to replace it or --resume "
        + run + " to continue it");
  }

  @Test
  void trainingWritesTheModelStateMetricsAndPlot() throws IOException {
    assertEquals(0, trained.status, trained.toString());
    assertTrue(trained.out.contains("saving to " + run), trained.out);
    for (String name : List.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE, RunFiles.METRICS, RunFiles.PLOT)) {
      assertTrue(Files.isRegularFile(run.resolve(name)), name);
    }
    assertTrue(Files.readString(run.resolve(RunFiles.PLOT)).startsWith("<svg "));
    assertEquals(5, Checkpoint.loadModel(run).step());

    // 65 training characters, 20 per step: 4 steps per epoch, so an epoch record at step 4 and the end at 5.
    List<Map<String, Object>> metrics = metrics(run);
    assertEquals(List.of("epoch", "end"), metrics.stream().map(m -> m.get("event")).toList());
    assertEquals(List.of(4L, 5L), metrics.stream().map(m -> ((Number) m.get("step")).longValue()).toList());
    assertEquals(List.of(80L, 100L), metrics.stream().map(m -> ((Number) m.get("chars")).longValue()).toList());
    for (Map<String, Object> m : metrics) {
      for (String key : List.of("epoch", "train_loss", "val_loss", "chars_per_s", "elapsed_s")) {
        assertTrue(m.get(key) instanceof Number n && Double.isFinite(n.doubleValue()), key + " in " + m);
      }
    }
  }

  @Test
  void sameSeedSamplesTheSameText() {
    Result first = run("sample", "--checkpoint", run.toString(), "--length", "20", "--seed", "1");
    Result second = run("sample", "--checkpoint", run.toString(), "--length", "20", "--seed", "1");
    assertEquals(0, first.status, first.err);
    assertEquals(first.out, second.out);
    // The default prime is a newline, then 20 characters and a final line end.
    assertTrue(first.out.startsWith("\n"), first.out);
    assertEquals(22, first.out.codePointCount(0, first.out.length()));
    assertTrue(first.out.chars().allMatch(c -> SMALL_TEXT.indexOf(c) >= 0), first.out);

    Result primed = run("sample", "--checkpoint", run.resolve(Checkpoint.MODEL_FILE).toString(), "--prime", "the",
        "--length", "5", "--temperature", "0");
    assertEquals(0, primed.status, primed.err);
    assertTrue(primed.out.startsWith("the"), primed.out);
    assertEquals(9, primed.out.length());
  }

  @Test
  void sampleTakesARunsBestModelAndSaysSoWhileEvalTakesItsLastWeights() throws IOException {
    Path copy = copyRun();
    // a best model unlike the last weights: those of a 2-step run on the same text
    Path early = dir.resolve("early");
    assertEquals(0, train("--data", small.toString(), "--steps", "2", "--out", early.toString()).status);
    Files.copy(early.resolve(Checkpoint.MODEL_FILE), copy.resolve(Checkpoint.BEST_MODEL_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    Path best = copy.resolve(Checkpoint.BEST_MODEL_FILE);
    Path last = copy.resolve(Checkpoint.MODEL_FILE);

    Result fromRun = run("sample", "--checkpoint", copy.toString(), "--length", "30", "--seed", "4");
    Result fromBest = run("sample", "--checkpoint", best.toString(), "--length", "30", "--seed", "4");
    assertEquals(0, fromRun.status, fromRun.err);
    assertEquals(fromBest.out, fromRun.out);
    assertEquals(List.of("using " + best + ": the run's best model"), fromRun.errLines());
    Result quiet = run("sample", "--checkpoint", copy.toString(), "--length", "30", "--seed", "4", "--quiet");
    assertEquals(List.of(), quiet.errLines(), "--quiet says nothing");
    assertEquals(fromRun.out, quiet.out);

    Result evalRun = run("eval", "--checkpoint", copy.toString(), "--data", small.toString(), "--json");
    Result evalLast = run("eval", "--checkpoint", last.toString(), "--data", small.toString(), "--json");
    Result evalBest = run("eval", "--checkpoint", best.toString(), "--data", small.toString(), "--json");
    assertEquals(evalLast.out, evalRun.out, "eval measures the last weights");
    assertNotEquals(evalBest.out, evalRun.out, "the two models differ");
  }

  @Test
  void severalSamplesComeOneAfterAnotherUnderSeparatorsAndTheFirstIsTheSingleSample() {
    Result single = run("sample", "--checkpoint", run.toString(), "--length", "20", "--seed", "1");
    Result three = run("sample", "--checkpoint", run.toString(), "--length", "20", "--seed", "1", "--samples", "3");
    Result two = run("sample", "--checkpoint", run.toString(), "--length", "20", "--seed", "1", "--samples", "2");
    assertEquals(0, three.status, three.err);
    assertFalse(single.out.contains("--- sample"), "no separator for one sample: " + single.out);

    List<String> samples = splitSamples(three.out, 3);
    assertEquals(single.out, samples.get(0));
    assertEquals(samples.subList(0, 2), splitSamples(two.out, 2), "sample i does not depend on --samples");
    for (String sample : samples) {
      // The prime (a newline), 20 characters and a line end, as for a single sample.
      assertTrue(sample.startsWith("\n") && sample.endsWith("\n"), sample);
      assertEquals(22, sample.codePointCount(0, sample.length()), sample);
    }
    assertEquals(3, Set.copyOf(samples).size(), "three different samples: " + samples);
  }

  @Test
  void aBadPrimeIsRefusedBeforeAnythingIsWritten() {
    Result r = run("sample", "--checkpoint", run.toString(), "--samples", "2", "--prime", "Quiet");
    assertFailure(r, "error: --prime: 3 characters are not in the model's vocabulary: 'Q', 'u', 'i'");
    assertEquals("", r.out, "no separator, no prime, nothing on standard output");
  }

  @Test
  void nanoGptsSampleFlagsWorkToo() {
    Result ours = run("sample", "--checkpoint", run.toString(), "--prime", "the", "--length", "12", "--samples", "2");
    Result theirs = run("sample", "--checkpoint", run.toString(), "--start", "the", "--max-new-tokens", "12",
        "--num-samples", "2");
    assertEquals(0, theirs.status, theirs.toString());
    assertEquals(ours.out, theirs.out);
  }

  @Test
  void theSampleEachEpochShowsIsWhatSampleWrites() throws IOException {
    Path out = dir.resolve("shown");
    Result r = run("train", "--preset", "notebook", "--hidden", "8", "--seq", "10", "--batch", "2", "--data",
        small.toString(), "--steps", "4", "--sample-length", "30", "--out", out.toString());
    assertEquals(0, r.status, r.toString());
    String shown = r.out.substring(r.out.indexOf("  sample (temperature 0.75, seed 42, as 'sample' writes it):\n"));
    shown = shown.substring(shown.indexOf('\n') + 1);
    // Each line of the sample indented by four spaces, after the default prime, a newline.
    Result sampled = run("sample", "--checkpoint", out.toString(), "--length", "30");
    String expected = sampled.out.substring(1, sampled.out.length() - 1).replace("\n", "\n    ");
    assertTrue(shown.startsWith("    " + expected + "\n"), "shown:\n" + shown + "\nsampled:\n" + sampled.out);
  }

  @Test
  void topPAndRepetitionPenaltyReachTheSampler() {
    Result greedy = run("sample", "--checkpoint", run.toString(), "--length", "40", "--temperature", "0");
    Result nucleus = run("sample", "--checkpoint", run.toString(), "--length", "40", "--top-p", "0.000001");
    assertEquals(0, nucleus.status, nucleus.err);
    assertEquals(greedy.out, nucleus.out, "a tiny --top-p is greedy whatever the temperature");

    Result penalised = run("sample", "--checkpoint", run.toString(), "--length", "40", "--temperature", "0",
        "--repetition-penalty", "3", "--penalty-window", "4");
    assertEquals(0, penalised.status, penalised.err);
    assertEquals(42, penalised.out.codePointCount(0, penalised.out.length()));
    assertFalse(greedy.out.equals(penalised.out), "the penalty changes greedy text: " + greedy.out);
    Result off = run("sample", "--checkpoint", run.toString(), "--length", "40", "--temperature", "0",
        "--repetition-penalty", "1", "--penalty-window", "4");
    assertEquals(greedy.out, off.out, "--repetition-penalty 1 is off");
  }

  @Test
  void badSamplingValuesAreOneLineErrorsNamingTheFlag() {
    String[][] cases = {
        {"--top-p", "0", "--top-p must be more than 0 and at most 1 (1 keeps all), got 0.0"},
        {"--top-p", "1.5", "--top-p must be more than 0 and at most 1 (1 keeps all), got 1.5"},
        {"--top-p", "NaN", "--top-p must be more than 0 and at most 1 (1 keeps all), got NaN"},
        {"--repetition-penalty", "0.5", "--repetition-penalty must be a finite number at least 1 (1 is off), got 0.5"},
        {"--penalty-window", "0", "--penalty-window must be at least 1, got 0"},
        {"--samples", "0", "--samples must be at least 1, got 0"},
        {"--temperature", "-1", "--temperature must be a finite number at least 0, got -1.0"},
        {"--top-k", "-3", "--top-k must be at least 0 (0 keeps all), got -3"},
    };
    for (String[] c : cases) {
      assertUsage(run("sample", "--checkpoint", run.toString(), c[0], c[1]), "error: " + c[2] + " (see 'java -jar "
          + "rnn.jar sample --help')");
    }
  }

  @Test
  void sampleHelpListsTheSamplingFlagsAndAnExample() {
    Result r = run("sample", "--help");
    assertEquals(0, r.status, r.err);
    for (String flag : List.of("--top-k", "--top-p=P", "--repetition-penalty=R", "--penalty-window=W", "--samples=N",
        "sample --top-p 0.9 --samples 3", "--temperature 0 --repetition-penalty 1.2")) {
      assertTrue(r.out.contains(flag), flag + " in\n" + r.out);
    }
    assertTrue(r.out.replaceAll("\\s+", " ").contains("(default: " + Sampler.DEFAULT_PENALTY_WINDOW + ", about a line)"),
        r.out);
  }

  @Test
  void evalPrintsOneJsonObject() {
    Result r = run("eval", "--checkpoint", run.toString(), "--data", small.toString(), "--json");
    assertEquals(0, r.status, r.err);
    assertEquals(1, r.out.lines().count(), r.out);
    Map<String, Object> m = Json.parseObject(r.out.strip());
    assertEquals(Set.of("chars", "nats_per_char", "bits_per_char"), m.keySet());
    assertEquals(SMALL_TEXT.length() - 1L, ((Number) m.get("chars")).longValue());
    double nats = ((Number) m.get("nats_per_char")).doubleValue();
    assertTrue(nats > 0 && nats < 10, "nats " + nats);
    assertEquals(nats / Math.log(2), ((Number) m.get("bits_per_char")).doubleValue(), 1e-12);

    Result plain = run("eval", "--checkpoint", run.toString(), "--data", small.toString());
    assertEquals(0, plain.status, plain.err);
    assertTrue(plain.out.matches("\\d+\\.\\d{4} nats/char \\| \\d+\\.\\d{4} bits/char \\| 71 characters predicted\n"),
        plain.out);
  }

  @Test
  void resumeContinuesFromTheSavedStep() throws IOException {
    Path copy = copyRun();
    Result r = train("--resume", copy.toString(), "--steps", "8");
    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.contains("resuming " + copy + " from step 5"), r.out);
    List<Map<String, Object>> metrics = metrics(copy);
    Map<String, Object> last = metrics.get(metrics.size() - 1);
    assertEquals("end", last.get("event"));
    assertEquals(8L, ((Number) last.get("step")).longValue());
    assertEquals(List.of(4L, 5L, 8L, 8L), metrics.stream().map(m -> ((Number) m.get("step")).longValue()).toList());
    assertEquals(8, Checkpoint.loadModel(copy).step());
  }

  @Test
  void resumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
    Path copy = copyRun();
    assertEquals(0, train("--resume", copy.toString(), "--steps", "8").status);
    Path straight = dir.resolve("straight");
    assertEquals(0, train("--data", small.toString(), "--steps", "8", "--out", straight.toString()).status);

    for (String file : List.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE)) {
      Safetensors.Contents resumed = Safetensors.read(copy.resolve(file));
      Safetensors.Contents uninterrupted = Safetensors.read(straight.resolve(file));
      assertEquals(uninterrupted.tensors().keySet(), resumed.tensors().keySet(), file);
      uninterrupted.tensors().forEach((name, t) -> assertArrayEquals(t.storage(), resumed.tensors().get(name).storage(),
          file + ": " + name));
      for (String key : List.of("step", "random_state", "best_val_loss")) {
        assertEquals(uninterrupted.metadata().get(key), resumed.metadata().get(key), file + ": " + key);
      }
    }
    assertTrue(Safetensors.read(copy.resolve(Checkpoint.STATE_FILE)).tensors().keySet().contains("adam.v.decoder.bias"),
        "Adam's moments are compared too");
  }

  @Test
  void resumeDeletesLeftoversOfAKilledSaveAndUsesTheStateThatMatchesTheModel() throws IOException {
    Path copy = copyRun();
    Path leftover = Files.writeString(copy.resolve(".model.safetensors." + UUID.randomUUID() + ".tmp"), "torn");
    // A kill between the first two moves of a save: the state that matches the model is set aside.
    Files.move(copy.resolve(Checkpoint.STATE_FILE), copy.resolve(Checkpoint.PREVIOUS_STATE_FILE));

    Result r = train("--resume", copy.toString(), "--steps", "7");

    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.contains("resuming " + copy + " from step 5\n(its last save was interrupted: using the training "
        + "state saved with the model, training-state.previous.safetensors)\n"), r.out);
    assertTrue(r.out.contains("removed 1 temporary file left in " + copy + " by an interrupted save\n"), r.out);
    assertFalse(Files.exists(leftover));
    try (Stream<Path> files = Files.list(copy)) {
      assertEquals(Set.of(Checkpoint.MODEL_FILE, Checkpoint.BEST_MODEL_FILE, Checkpoint.STATE_FILE, RunFiles.METRICS,
          RunFiles.PLOT, RunFiles.SETTINGS, RunFiles.LOG, RunLock.FILE),
          files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    Checkpoint.Loaded loaded = Checkpoint.loadModel(copy);
    assertEquals(7, loaded.step());
    assertEquals(7, Checkpoint.loadState(copy.resolve(Checkpoint.STATE_FILE), loaded.model(), 7).state().step());
  }

  @Test
  void divergingRunStopsWithOneLineAndKeepsTheLastGoodCheckpoint() {
    Path out = dir.resolve("diverged");
    // Adam moves every weight by about lr: at 2e37 the recurrent sums overflow to opposite
    // infinities within a few steps, and the loss is NaN. (A smaller rate is not enough on the SIMD
    // path: its products are chains of fused multiply-adds, which overflow to one infinity but
    // never to NaN from finite inputs.)
    Result r = train("--data", small.toString(), "--steps", "50", "--lr", "2e37", "--save-every", "1", "--out",
        out.toString());

    assertEquals(1, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.err);
    Matcher m = Pattern.compile("error: training diverged at step (\\d+): .*; stopped "
        + "before the update, so the weights are those of step (\\d+); the last good checkpoint \\(step (\\d+)\\) is "
        + "kept in (.*); try a smaller --clip \\(now 5.0, e.g. 1.0\\) and a lower --lr \\(now 2.0E37, e.g. 2.0E36\\) "
        + "with --resume (.*)").matcher(r.errLines().get(0));
    assertTrue(m.matches(), r.errLines().get(0));
    long diverged = Long.parseLong(m.group(1));
    assertEquals(diverged - 1, Long.parseLong(m.group(2)));
    assertEquals(diverged - 1, Long.parseLong(m.group(3)), "--save-every 1 saved the step before");
    assertEquals(List.of(out.toString(), out.toString()), List.of(m.group(4), m.group(5)));
    assertNoStackTrace(r);
    Checkpoint.Loaded kept = Checkpoint.loadModel(out);
    assertEquals(diverged - 1, kept.step());
    assertEquals(diverged - 1, Checkpoint.loadState(out.resolve(Checkpoint.STATE_FILE), kept.model(), kept.step())
        .state().step());
  }

  @Test
  void divergingBeforeTheFirstSaveSaysNoCheckpointWasKept() {
    Path out = dir.resolve("diverged");
    Result r = train("--data", small.toString(), "--steps", "50", "--lr", "2e37", "--clip", "0.5", "--out",
        out.toString());
    assertEquals(1, r.status, r.toString());
    assertEquals(1, r.errLines().size(), r.err);
    assertTrue(r.errLines().get(0).endsWith("; no checkpoint was saved before it; try a smaller --clip (now 0.5, e.g. "
        + "0.25) and a lower --lr (now 2.0E37, e.g. 2.0E36)"), r.errLines().get(0));
    assertFalse(Files.exists(out.resolve(Checkpoint.MODEL_FILE)));
  }

  @Test
  void statefulRowsShorterThanAChunkAreWarnedAbout() throws IOException {
    Path text = Files.writeString(dir.resolve("sixty.txt"),
        "the cat sat on the mat; the dog sat on the log by the door.\n");
    Result r = run("train", "--data", text.toString(), "--hidden", "8", "--steps", "1", "--sample-length", "0",
        "--out", dir.resolve("short").toString());
    assertEquals(0, r.status, r.toString());
    assertEquals(List.of("warning: the 54 training characters in 32 stateful rows (--batch) give each row 1, fewer "
        + "than --seq 100, so every chunk is 1 long; the text is shorter than one chunk: use --seq 53 or less"),
        r.errLines());

    Result fits = run("train", "--data", text.toString(), "--hidden", "8", "--seq", "10", "--steps", "1",
        "--sample-length", "0", "--out", dir.resolve("fits").toString());
    assertEquals(0, fits.status, fits.toString());
    assertEquals(List.of("warning: the 54 training characters in 32 stateful rows (--batch) give each row 1, fewer "
        + "than --seq 10, so every chunk is 1 long; --batch 5 or less gives every row a whole chunk"), fits.errLines());
  }

  @Test
  void aTextOfOneRepeatedCharacterTrainsToZeroLossAndSamplesIt() throws IOException {
    Path text = Files.writeString(dir.resolve("one.txt"), "z".repeat(200));
    Path out = dir.resolve("one");
    Result r = train("--data", text.toString(), "--steps", "12", "--out", out.toString());
    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.contains("| vocabulary 1\n"), r.out);
    assertTrue(r.out.contains("train 0.0000 nats"), r.out);
    Result sampled = run("sample", "--checkpoint", out.toString(), "--length", "8");
    assertEquals(0, sampled.status, sampled.toString());
    assertEquals("z".repeat(9) + "\n", sampled.out, "the prime 'z', then 8 more");
    Result evaluated = run("eval", "--checkpoint", out.toString(), "--data", text.toString(), "--json");
    assertEquals(0.0, ((Number) Json.parseObject(evaluated.out.strip()).get("nats_per_char")).doubleValue());
  }

  @Test
  void saveEveryIsCheckedAndRememberedForResuming() throws IOException {
    assertUsage(train("--data", small.toString(), "--steps", "1", "--save-every", "-2", "--out",
        dir.resolve("x").toString()), "error: --save-every must be at least 0 (0 saves only at epoch ends), got -2 "
        + "(see 'java -jar rnn.jar train --help')");
    Path out = dir.resolve("every");
    assertEquals(0, train("--data", small.toString(), "--steps", "3", "--save-every", "2", "--out", out.toString())
        .status);
    assertEquals("2", Safetensors.read(out.resolve(Checkpoint.STATE_FILE)).metadata().get("save_every"));
  }

  @Test
  void forceReplacesAnotherRunWhollyAndSaysSo() throws IOException {
    Path copy = copyRun();
    assertTrue(Files.exists(copy.resolve(Checkpoint.BEST_MODEL_FILE)));
    // Without validation the new run saves no best model: the old one's must not stay beside the new model.
    Result r = train("--data", small.toString(), "--steps", "2", "--val-fraction", "0", "--out", copy.toString(),
        "--force");
    assertEquals(0, r.status, r.toString());
    assertTrue(r.out.contains("replacing the run in " + copy + " (--force): removed model.safetensors, "
        + "best-model.safetensors, training-state.safetensors, metrics.jsonl, loss.svg, settings.json, train.log\n"),
        r.out);
    List<Map<String, Object>> metrics = metrics(copy);
    assertEquals(1, metrics.size(), "the old run's metrics are gone: " + metrics);
    assertEquals(2L, ((Number) metrics.get(0).get("step")).longValue());
    assertEquals(2, Checkpoint.loadModel(copy).step());
    assertFalse(Files.exists(copy.resolve(Checkpoint.BEST_MODEL_FILE)), "the old run's best model is gone");
  }

  private Path copyRun() throws IOException {
    Path copy = dir.resolve("copy");
    Files.createDirectories(copy);
    try (Stream<Path> files = Files.list(run)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  /** The epoch and end-of-run records of a run's metrics (the curve's and validation records are left out). */
  private static List<Map<String, Object>> metrics(Path runDir) throws IOException {
    List<String> lines = Files.readAllLines(runDir.resolve(RunFiles.METRICS), StandardCharsets.UTF_8);
    return lines.stream().map(Json::parseObject).filter(m -> Set.of("epoch", "end").contains(m.get("event"))).toList();
  }

  /** Splits the output of {@code --samples n} at its separators, checking they are numbered 1 to n. */
  private static List<String> splitSamples(String out, int n) {
    Matcher m = Pattern.compile("(?m)^--- sample (\\d+) of (\\d+) ---\n").matcher(out);
    List<String> samples = new ArrayList<>();
    int expected = 1;
    int end = -1;
    while (m.find()) {
      assertEquals(List.of(String.valueOf(expected++), String.valueOf(n)), List.of(m.group(1), m.group(2)), out);
      if (end >= 0) {
        samples.add(out.substring(end, m.start()));
      } else {
        assertEquals(0, m.start(), "the first separator opens the output: " + out);
      }
      end = m.end();
    }
    assertTrue(end >= 0, "no separator in: " + out);
    samples.add(out.substring(end));
    assertEquals(n, samples.size(), out);
    return samples;
  }

  static void assertFailure(Result r, String line) {
    assertEquals(1, r.status, r.toString());
    assertEquals(List.of(line), r.errLines());
    assertNoStackTrace(r);
  }

  /** A usage error: status 2, one line naming the flag and where the help is. */
  static void assertUsage(Result r, String line) {
    assertEquals(2, r.status, r.toString());
    assertEquals(List.of(line), r.errLines());
    assertNoStackTrace(r);
  }

  private static void assertNoStackTrace(Result r) {
    assertFalse(r.err.contains("at dev.") || r.out.contains("at dev."), r.toString());
    assertFalse(r.err.contains("Exception"), r.toString());
  }

  private static Result train(String... args) {
    String[] all = Stream.concat(Stream.of("train"), Stream.concat(TINY_RUN.stream(), Arrays.stream(args)))
        .toArray(String[]::new);
    return run(all);
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status;
    try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
      status = Main.run(args, o, e);
    }
    return new Result(status, out.toString(), err.toString());
  }

  /** What a run printed; progress lines and the JVM's incubator-module warning are not errors. */
  record Result(int status, String out, String err) {
    List<String> errLines() {
      return err.lines()
          .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
          .filter(l -> !l.matches("\\s*\\d+% step .*"))
          .toList();
    }
  }
}
