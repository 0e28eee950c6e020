package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapegrad.io.Safetensors;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.checkpoint.RunFiles;
import dev.tapegrad.rnn.checkpoint.RunLock;
import dev.tapegrad.tensor.Tensor;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code train} processes, as a user or a supervisor treats them: stopped with SIGTERM and
 * Ctrl-C (through the Vector API relaunch, as {@code java -jar rnn.jar} runs), and killed with
 * SIGKILL at random moments, mostly in the middle of a save. Each starts a JVM from the compiled
 * classes, so the suite keeps the model tiny and the campaign bounded in time.
 */
class TrainProcessTest {

  /** The campaign stops after this many kills, or after {@link #CAMPAIGN_SECONDS}, whichever comes first. */
  private static final int MAX_KILLS = 40;
  private static final long CAMPAIGN_SECONDS = 30;
  private static final long TIMEOUT_SECONDS = 60;

  /** Fast to start: these processes live for a second or less. */
  private static final List<String> QUICK_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m");
  /** A single JVM on the scalar kernels. */
  private static final List<String> DIRECT = Stream.concat(QUICK_JVM.stream(),
      Stream.of("-Dtapegrad.relaunch=false", "-Dtapegrad.kernels=scalar")).toList();
  /**
   * The data preset (stateful rows, so kills land between chunks whose state is carried) with a
   * constant rate: a schedule's progress depends on the run's bound, and these runs resume towards
   * another bound than the one they were killed under.
   */
  private static final List<String> TINY = List.of("train", "--hidden", "8", "--seq", "16", "--batch", "2",
      "--schedule", "constant", "--sample-length", "0");
  private static final Pattern STOPPED = Pattern.compile("stopped by (.+) at step ([\\d,]+), ");

  @TempDir static Path shared;
  static Path text;

  @TempDir Path dir;

  @BeforeAll
  static void writeAText() throws IOException {
    String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far", "away", "quick", "fox"};
    SplittableRandom random = new SplittableRandom(3);
    StringBuilder out = new StringBuilder();
    while (out.length() < 3000) {
      out.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ".\n" : " ");
    }
    text = Files.writeString(shared.resolve("words.txt"), out);
  }

  @Test
  void killCampaignEveryKillLeavesACheckpointThatLoadsAndResumesBitForBit() throws Exception {
    Path run = dir.resolve("run");
    // Saving after every step of a tiny model: the process spends nearly all its time writing
    // files, so most kills land in the middle of a save.
    List<String> campaign = with(TINY, "--save-every", "1");
    SplittableRandom random = new SplittableRandom(20240611);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CAMPAIGN_SECONDS);
    int kills = 0;
    int loaded = 0;
    int beforeFirstCheckpoint = 0;
    int resumes = 0;
    int duringAWrite = 0;
    int betweenStateAndModel = 0;
    int fromSetAside = 0;
    long lastStep = -1;
    while (kills < MAX_KILLS && System.nanoTime() < deadline) {
      boolean resume = Files.exists(run.resolve(Checkpoint.MODEL_FILE));
      Child child = start(DIRECT, resume ? with(campaign, "--resume", run.toString())
          : with(campaign, "--data", text.toString(), "--steps", "1000000", "--out", run.toString()));
      resumes += resume ? 1 : 0;
      if (random.nextInt(5) == 0) {
        // Anywhere, even while Java starts or the text is read.
        Thread.sleep(random.nextInt(800));
      } else {
        child.awaitLine("saving to ");
        Thread.sleep(random.nextInt(400));
      }
      if (!child.process.isAlive()) {
        fail("the training process ended before it was killed: " + child.output());
      }
      child.process.destroyForcibly();
      assertTrue(child.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      kills++;

      Set<String> left = names(run);
      duringAWrite += left.stream().anyMatch(n -> n.startsWith(".") && n.endsWith(".tmp")) ? 1 : 0;
      betweenStateAndModel += left.contains(Checkpoint.PREVIOUS_STATE_FILE) ? 1 : 0;
      if (!left.contains(Checkpoint.MODEL_FILE)) {
        beforeFirstCheckpoint++;
        continue;
      }
      Checkpoint.Loaded model;
      Checkpoint.LoadedState state;
      try {
        model = Checkpoint.loadModel(run);
        state = Checkpoint.loadState(run.resolve(Checkpoint.STATE_FILE), model.model(), model.step());
      } catch (RuntimeException e) {
        throw new AssertionError("kill " + kills + " left a checkpoint that does not load (files " + left + ")", e);
      }
      assertEquals(model.step(), state.state().step());
      assertTrue(model.step() >= lastStep, "kill " + kills + ": the checkpoint went back from step " + lastStep
          + " to " + model.step());
      fromSetAside += state.file().endsWith(Checkpoint.PREVIOUS_STATE_FILE) ? 1 : 0;
      lastStep = model.step();
      loaded++;
    }

    // Finish the run, then train the same steps in one go: the two must agree to the bit.
    long target = Math.max(lastStep, 0) + 20;
    Path straight = dir.resolve("straight");
    boolean resume = Files.exists(run.resolve(Checkpoint.MODEL_FILE));
    List<String> quiet = with(TINY, "--save-every", "0");
    Child finish = start(DIRECT, with(quiet, resume ? List.of("--resume", run.toString(), "--steps", "" + target)
        : List.of("--data", text.toString(), "--steps", "" + target, "--out", run.toString())));
    Child uninterrupted = start(DIRECT, with(quiet, "--data", text.toString(), "--steps", "" + target, "--out",
        straight.toString()));
    assertEquals(0, finish.exitStatus(), finish.output());
    assertEquals(0, uninterrupted.exitStatus(), uninterrupted.output());
    resumes += resume ? 1 : 0;
    assertSameRun(straight, run);

    System.out.printf("kill campaign: %d kills (%d left a temporary file, %d fell between a save's state and model), "
        + "%d checkpoints loaded (%d from the state set aside), %d before the first checkpoint, %d resumes; "
        + "resumed to step %d bitwise equal to an uninterrupted run (weights, Adam moments and step, data order, "
        + "best validation loss)%n", kills, duringAWrite, betweenStateAndModel, loaded, fromSetAside,
        beforeFirstCheckpoint, resumes, target);
    assertEquals(kills, loaded + beforeFirstCheckpoint, "every kill after the first save left a checkpoint that loads");
    assertTrue(kills >= 8, "only " + kills + " kills in " + CAMPAIGN_SECONDS + " s");
    assertTrue(duringAWrite + betweenStateAndModel > 0, "some kills landed in the middle of a save");
  }

  @Test
  void sigtermToTheRelaunchingParentSavesTheRunAndExitsWith143() throws Exception {
    Path run = dir.resolve("run");
    // Without --add-modules, the parent relaunches itself as a child JVM with the Vector API.
    Child child = start(QUICK_JVM, with(TINY, "--data", text.toString(), "--steps", "1000000", "--out",
        run.toString()));
    child.awaitLine("saving to ");
    Thread.sleep(300);
    List<ProcessHandle> relaunched = child.process.descendants().toList();
    if (vectorModuleAvailable()) {
      assertEquals(1, relaunched.size(), "the parent relaunched itself: " + child.output());
    }

    // SIGTERM, through the handle: Process.destroy() would also close the pipe we read the output from.
    child.process.toHandle().destroy();

    assertEquals(143, child.exitStatus(), child.output());
    long step = assertStoppedAndSaved(child, "SIGTERM", run);
    assertTrue(step > 0, child.output());
    for (ProcessHandle p : relaunched) {
      assertFalse(p.isAlive(), "the relaunched child ended too");
    }
    assertFalse(child.output().contains(VectorRelaunch.INCUBATOR_WARNING), "the parent drops Java's incubator "
        + "warning: " + child.output());
  }

  /**
   * A relaunching parent killed with SIGKILL takes its child with it: the child notices within a
   * moment, saves the run as for a shutdown and ends, so nothing trains on unseen and the run's lock
   * is free for a resume at once.
   */
  @Test
  void sigkillToTheRelaunchingParentEndsTheChildAndFreesTheRun() throws Exception {
    assumeTrue(vectorModuleAvailable(), "without the Vector API module nothing is relaunched");
    Path run = dir.resolve("run");
    Child parent = start(QUICK_JVM, with(TINY, "--data", text.toString(), "--steps", "1000000", "--out",
        run.toString()));
    parent.awaitLine("saving to ");
    awaitFile(run.resolve(Checkpoint.MODEL_FILE));
    List<ProcessHandle> relaunched = parent.process.descendants().toList();
    assertEquals(1, relaunched.size(), "the parent relaunched itself: " + parent.output());
    ProcessHandle child = relaunched.get(0);

    long killed = System.nanoTime();
    parent.process.destroyForcibly();
    assertTrue(parent.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    while (child.isAlive() && System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10)) {
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - killed) / 1e9;
    System.out.printf("orphan: the relaunched child ended %.2f s after its parent's SIGKILL%n", seconds);

    assertFalse(child.isAlive(), "the relaunched child still runs 10 s after its parent's SIGKILL");
    Checkpoint.Loaded saved = Checkpoint.loadModel(run);
    Child resumed = start(DIRECT, with(TINY, "--resume", run.toString(), "--steps", "" + (saved.step() + 3)));
    assertEquals(0, resumed.exitStatus(), "the orphan's lock went with it: " + resumed.output());
    assertEquals(saved.step() + 3, Checkpoint.loadModel(run).step());
  }

  /**
   * One writer per run directory: while a training process writes a run, a resume and a --force of
   * other processes are refused in one line naming it, and leave its files alone; a reader samples
   * it meanwhile; and once it is killed with SIGKILL, its lock (released by the operating system)
   * does not block a resume.
   */
  @Test
  void aSecondWriterIsRefusedWhileARunIsWrittenAndAKilledRunsLockDoesNotBlockAResume() throws Exception {
    Path run = dir.resolve("run");
    Child writer = start(DIRECT, with(TINY, "--data", text.toString(), "--steps", "1000000", "--save-every", "5",
        "--out", run.toString()));
    writer.awaitLine("saving to ");
    awaitFile(run.resolve(Checkpoint.MODEL_FILE));
    String holder = "is in use by another train (pid " + writer.process.pid() + ", started ";

    Child resume = start(DIRECT, with(TINY, "--resume", run.toString(), "--steps", "3"));
    Child force = start(DIRECT, List.of("train", "--data", text.toString(), "--hidden", "16", "--seq", "16",
        "--steps", "3", "--force", "--out", run.toString()));
    Child fresh = start(DIRECT, with(TINY, "--data", text.toString(), "--steps", "3", "--out", run.toString()));
    Child reader = start(DIRECT, List.of("sample", "--checkpoint", run.toString(), "--length", "20"));
    for (Child refused : List.of(resume, force, fresh)) {
      assertEquals(1, refused.exitStatus(), refused.output());
      List<String> lines = refused.output().lines().toList();
      assertEquals(1, lines.size(), refused.output());
      assertTrue(lines.get(0).startsWith("error: " + run + " " + holder), refused.output());
    }
    assertEquals(0, reader.exitStatus(), "a reader needs no lock: " + reader.output());
    assertTrue(writer.process.isAlive(), writer.output());
    Checkpoint.Loaded written = Checkpoint.loadModel(run);
    assertEquals(8, written.model().hidden(), "--force did not replace the run being written");
    assertTrue(((Number) RunFiles.readMetrics(run).get(0).get("step")).longValue() <= 5,
        "the writer's metrics still start at its start");

    writer.process.destroyForcibly();
    assertTrue(writer.process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
    long killedAt = Checkpoint.loadModel(run).step();
    Child resumed = start(DIRECT, with(TINY, "--resume", run.toString(), "--steps", "" + (killedAt + 4)));
    assertEquals(0, resumed.exitStatus(), "the killed writer's lock is gone with it: " + resumed.output());
    assertEquals(killedAt + 4, Checkpoint.loadModel(run).step());
    assertTrue(Files.exists(run.resolve(RunLock.FILE)), "the lock file stays; only its lock goes");
  }

  /** With --threads the run works in a pool of its own; a stop signal still saves it, with the same status. */
  @Test
  void sigtermWithThreadsSavesTheRunAndExitsWith143() throws Exception {
    Path run = dir.resolve("run");
    Child child = start(DIRECT, with(TINY, "--threads", "2", "--data", text.toString(), "--steps", "1000000", "--out",
        run.toString()));
    child.awaitLine("saving to ");
    Thread.sleep(300);

    child.process.toHandle().destroy();

    assertEquals(143, child.exitStatus(), child.output());
    long step = assertStoppedAndSaved(child, "SIGTERM", run);
    assertTrue(step > 0, child.output());
  }

  @Test
  void ctrlCToTheProcessGroupSavesTheRunAndExitsWith130() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) && Files.isExecutable(Path.of("/usr/bin/kill")),
        "needs setsid and kill to send SIGINT to a process group, as a terminal does");
    Path run = dir.resolve("run");
    // A session of its own makes the parent JVM a process group leader; the relaunched child joins
    // its group, so SIGINT to the group reaches both, as Ctrl-C in a terminal does.
    Child child = start(List.of("/usr/bin/setsid"), QUICK_JVM, with(TINY, "--data", text.toString(), "--steps",
        "1000000", "--out", run.toString()));
    child.awaitLine("saving to ");
    Thread.sleep(300);

    interruptGroup(child);

    assertEquals(130, child.exitStatus(), child.output());
    assertStoppedAndSaved(child, "SIGINT", run);
  }

  @Test
  void aSecondCtrlCQuitsAtOnceAndLeavesACheckpointThatLoads() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setsid")) && Files.isExecutable(Path.of("/usr/bin/kill")),
        "needs setsid and kill to send SIGINT to a process group, as a terminal does");
    Path run = dir.resolve("run");
    Child child = start(List.of("/usr/bin/setsid"), QUICK_JVM, with(TINY, "--data", text.toString(), "--steps",
        "1000000", "--save-every", "1", "--out", run.toString()));
    child.awaitLine("saving to ");
    awaitFile(run.resolve(Checkpoint.MODEL_FILE));

    interruptGroup(child);
    child.awaitLine("stopping after this step");
    interruptGroup(child);

    assertEquals(130, child.exitStatus(), child.output());
    Checkpoint.Loaded model = Checkpoint.loadModel(run);
    assertEquals(model.step(), Checkpoint.loadState(run.resolve(Checkpoint.STATE_FILE), model.model(), model.step())
        .state().step());
  }

  @Test
  void withoutSunMiscSignalTheShutdownHookStillSavesTheRun() throws Exception {
    Path run = dir.resolve("run");
    // A runtime without the jdk.unsupported module, where sun.misc.Signal does not exist.
    List<String> jvm = Stream.concat(DIRECT.stream(), Stream.of("--limit-modules", "java.base,java.management"))
        .toList();
    Child child = start(jvm, with(TINY, "--data", text.toString(), "--steps", "1000000", "--out", run.toString()));
    child.awaitLine("saving to ");
    Thread.sleep(300);

    child.process.toHandle().destroy();

    assertEquals(143, child.exitStatus(), child.output());
    assertStoppedAndSaved(child, "a shutdown of Java", run);
  }

  /** From the module path, as the named module dev.tapegrad.rnn: picocli reaches the commands and the run is saved. */
  @Test
  void theNamedModuleTrainsFromTheModulePath() throws Exception {
    Path run = dir.resolve("run");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(DIRECT);
    command.addAll(List.of("-p", classPath(), "-m", "dev.tapegrad.rnn/" + Main.class.getName()));
    command.addAll(with(TINY, "--data", text.toString(), "--steps", "2", "--out", run.toString()));
    Child child = new Child(new ProcessBuilder(command).redirectErrorStream(true).start());

    assertEquals(0, child.exitStatus(), child.output());
    assertTrue(child.output().contains("saving to " + run + "\n"), child.output());
    assertEquals(2, Checkpoint.loadModel(run).step());
  }

  @Test
  void aRunResumedWithAnotherThreadCountEndsBitwiseEqualToAnUninterruptedOne() throws Exception {
    assumeTrue(vectorModuleAvailable(), "the thread count matters only to the Vector API kernels");
    // Wide enough that the input projection's matrix product is split over threads.
    List<String> model = List.of("train", "--data", text.toString(), "--hidden", "64", "--seq", "32", "--batch", "8",
        "--schedule", "constant", "--sample-length", "0");
    List<String> simd = Stream.concat(QUICK_JVM.stream(), Stream.of("--add-modules", "jdk.incubator.vector")).toList();
    Path straight = dir.resolve("straight");
    Path interrupted = dir.resolve("interrupted");

    Child one = start(simd, with(model, "--threads", "1", "--steps", "6", "--out", straight.toString()));
    Child first = start(simd, with(model, "--threads", "2", "--steps", "3", "--out", interrupted.toString()));
    assertEquals(0, one.exitStatus(), one.output());
    assertEquals(0, first.exitStatus(), first.output());
    Child second = start(simd, List.of("train", "--resume", interrupted.toString(), "--threads", "2", "--steps", "6"));
    assertEquals(0, second.exitStatus(), second.output());

    assertTrue(one.output().contains(", 1 thread\n"), one.output());
    assertTrue(second.output().contains(", 2 threads\n"), second.output());
    assertSameRun(straight, interrupted);
  }

  /** Checks the announced stop and the checkpoint it saved; returns its step. */
  private static long assertStoppedAndSaved(Child child, String cause, Path run) {
    Matcher m = STOPPED.matcher(child.output());
    assertTrue(m.find(), child.output());
    assertEquals(cause, m.group(1));
    long step = Long.parseLong(m.group(2).replace(",", ""));
    assertTrue(child.output().contains("continue it: java -jar rnn.jar train --resume " + run + "\n"),
        child.output());
    Checkpoint.Loaded model = Checkpoint.loadModel(run);
    assertEquals(step, model.step(), "the stop saved the step it announced");
    assertEquals(step, Checkpoint.loadState(run.resolve(Checkpoint.STATE_FILE), model.model(), step).state().step());
    List<Map<String, Object>> metrics = RunFiles.readMetrics(run);
    Map<String, Object> last = metrics.get(metrics.size() - 1);
    assertEquals("end", last.get("event"));
    assertEquals(step, ((Number) last.get("step")).longValue());
    assertTrue(Files.isRegularFile(run.resolve(RunFiles.PLOT)));
    return step;
  }

  /** The weights, Adam's moments, the step, the random state and the best validation loss agree to the bit. */
  private static void assertSameRun(Path expected, Path actual) {
    for (String file : List.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE)) {
      Safetensors.Contents want = Safetensors.read(expected.resolve(file));
      Safetensors.Contents got = Safetensors.read(actual.resolve(file));
      assertEquals(want.tensors().keySet(), got.tensors().keySet(), file);
      for (Map.Entry<String, Tensor> e : want.tensors().entrySet()) {
        assertArrayEquals(e.getValue().storage(), got.tensors().get(e.getKey()).storage(), file + ": " + e.getKey());
      }
      for (String key : List.of("step", "random_state", "best_val_loss", "vocab")) {
        assertEquals(want.metadata().get(key), got.metadata().get(key), file + ": " + key);
      }
    }
  }

  private static void interruptGroup(Child child) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("/usr/bin/kill", "-INT", "--", "-" + child.process.pid()).inheritIO().start();
    assertEquals(0, kill.waitFor());
  }

  private static void awaitFile(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!Files.exists(file)) {
      assertTrue(System.nanoTime() < deadline, "no " + file + " after " + TIMEOUT_SECONDS + " s");
      Thread.sleep(20);
    }
  }

  private static boolean vectorModuleAvailable() {
    return ModuleFinder.ofSystem().find("jdk.incubator.vector").isPresent();
  }

  private Set<String> names(Path run) throws IOException {
    if (!Files.isDirectory(run)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(run)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static List<String> with(List<String> args, String... more) {
    return with(args, List.of(more));
  }

  private static List<String> with(List<String> args, List<String> more) {
    return Stream.concat(args.stream(), more.stream()).toList();
  }

  private static Child start(List<String> jvm, List<String> args) throws IOException {
    return start(List.of(), jvm, args);
  }

  /** Starts {@code prefix java jvm -cp CLASSES Main args}, with standard error merged into its output. */
  private static Child start(List<String> prefix, List<String> jvm, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-cp");
    command.add(classPath());
    command.add(Main.class.getName());
    command.addAll(args);
    return new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /**
   * The compiled rnn and core classes, picocli and JLine, wherever the build put them: a class path
   * or a module path. JLine's native module is found by name, since this module does not read it.
   */
  static String classPath() {
    List<String> entries = new ArrayList<>();
    try {
      for (Class<?> c : List.of(Main.class, Tensor.class, picocli.CommandLine.class,
          org.jline.terminal.spi.TerminalProvider.class, Class.forName("org.jline.nativ.JLineNativeLoader"))) {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      }
    } catch (URISyntaxException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    return String.join(File.pathSeparator, entries);
  }

  /** A started process and the lines it has printed so far. */
  private static final class Child {
    final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    Child(Process process) {
      this.process = process;
      this.reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            synchronized (lines) {
              lines.add(line);
              lines.notifyAll();
            }
          }
        } catch (IOException ended) {
          // The process is gone; what it printed is kept.
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits until a line containing {@code fragment} is printed. */
    void awaitLine(String fragment) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      synchronized (lines) {
        while (lines.stream().noneMatch(l -> l.contains(fragment))) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
            fail("no line with '" + fragment + "' in: " + String.join("\n", lines));
          }
          lines.wait(Math.min(left, 100));
        }
      }
    }

    /** Waits for the process to end and for its output to be read; returns its status. */
    int exitStatus() throws InterruptedException {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("still running after " + TIMEOUT_SECONDS + " s: " + output());
      }
      reader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      return process.exitValue();
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines) + "\n";
      }
    }
  }
}
