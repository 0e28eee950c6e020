package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.checkpoint.Checkpoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on a generated 500 MB text in a JVM limited to a 2 GB heap. It writes half a gigabyte
 * and takes about a minute, so it runs only when asked:
 * {@code mvn -B -pl core,rnn -am test -Dtest=LargeInputTest -Dtapegrad.largeInput=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 * It prints the heap the run needed, read from the child's garbage-collector log.
 */
@EnabledIfSystemProperty(named = "tapegrad.largeInput", matches = "true")
class LargeInputTest {

  private static final long BYTES = 500_000_000L;
  private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final Pattern AT_EXIT = Pattern.compile("heap +total \\d+K, used (\\d+)K");

  @TempDir Path dir;

  @Test
  void aFiveHundredMegabyteTextTrainsWithinATwoGigabyteHeap() throws IOException, InterruptedException {
    Path text = dir.resolve("large.txt");
    writeText(text);
    Path gcLog = dir.resolve("gc.log");
    Path run = dir.resolve("run");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Xlog:gc,gc+heap+exit:file=" + gcLog, "-Dtapegrad.relaunch=false", "--add-modules",
        "jdk.incubator.vector", "-cp", classPath(), Main.class.getName(), "train", "--data", text.toString(),
        "--lowercase", "--hidden", "32", "--seq", "64", "--batch", "4", "--steps", "5", "--val-fraction", "0.001",
        "--sample-length", "0", "--out", run.toString()));
    long start = System.nanoTime();
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.txt").toFile()).start();
    assertTrue(child.waitFor(10, TimeUnit.MINUTES), "still running after 10 minutes");
    double seconds = (System.nanoTime() - start) / 1e9;
    String output = Files.readString(dir.resolve("out.txt"));
    assertEquals(0, child.exitValue(), output);
    assertEquals(5, Checkpoint.loadModel(run).step());

    // After a collection the heap holds live data only; before one it also holds young garbage.
    String log = Files.readString(gcLog);
    long live = 0;
    long before = 0;
    long committed = 0;
    Matcher m = PAUSE.matcher(log);
    while (m.find()) {
      before = Math.max(before, Long.parseLong(m.group(1)));
      live = Math.max(live, Long.parseLong(m.group(2)));
      committed = Math.max(committed, Long.parseLong(m.group(3)));
    }
    Matcher exit = AT_EXIT.matcher(log);
    long atExit = exit.find() ? Long.parseLong(exit.group(1)) / 1024 : -1;
    System.out.printf(Locale.ROOT, "large input: %,d bytes trained for 5 steps with -Xmx2g in %.1f s; live heap at "
        + "most %,d MB after a collection (the ids alone: %,d MB), %,d MB before one, %,d MB at exit; at most %,d MB "
        + "committed%n", BYTES, seconds, live, BYTES * Short.BYTES >> 20, before, atExit, committed);
    assertTrue(live < 1536, "live heap " + live + " MB");
    assertTrue(output.contains("| " + String.format(Locale.ROOT, "%,d", BYTES) + " characters ("), output);

    // Too small a heap for the ids: one line saying what to do, no stack trace.
    Process small = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Dtapegrad.relaunch=false", "-Dtapegrad.kernels=scalar", "-cp", classPath(), Main.class.getName(), "train",
        "--data", text.toString(), "--steps", "1", "--out", dir.resolve("small").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("small.txt").toFile()).start();
    assertTrue(small.waitFor(10, TimeUnit.MINUTES));
    assertEquals(1, small.exitValue());
    List<String> lines = Files.readAllLines(dir.resolve("small.txt"));
    assertEquals(1, lines.size(), String.join("\n", lines));
    assertTrue(lines.get(0).matches("error: Java ran out of memory \\(its heap is limited to \\d+ MB\\); give it more "
        + "with -Xmx, for example java -Xmx8g -jar rnn.jar \\.\\.\\."), lines.get(0));
  }

  /** Writes {@link #BYTES} bytes of ASCII sentences, with capitals for the lower-casing to do. */
  private static void writeText(Path file) throws IOException {
    String[] words = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "then", "sleeps", "in",
        "sun", "while", "cat", "watches", "from", "a", "tree", "Tapegrad", "Java", "GRU"};
    SplittableRandom random = new SplittableRandom(5);
    long written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      StringBuilder line = new StringBuilder();
      while (written < BYTES) {
        line.setLength(0);
        line.append("Once ");
        for (int i = 0; i < 12; i++) {
          line.append(words[random.nextInt(words.length)]).append(i == 11 ? ".\n" : " ");
        }
        int n = (int) Math.min(line.length(), BYTES - written);
        out.append(line, 0, n);
        written += n;
      }
    }
  }

  private static String classPath() {
    return TrainProcessTest.classPath();
  }
}
