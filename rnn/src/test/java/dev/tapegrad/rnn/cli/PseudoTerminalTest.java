package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line in a terminal, as a user sees it: {@code script} (util-linux) runs it on a
 * pseudo-terminal of a given width, the way {@code java -cp … Main} starts from a shell, so
 * {@code train} relaunches itself with the Vector API and its standard error passes through the
 * parent. Every redraw of the progress line must fit the width; with standard error redirected, the
 * progress must be plain lines; and no line of Java's own may be added.
 */
class PseudoTerminalTest {

  private static final Path SCRIPT = Path.of("/usr/bin/script");
  private static final long TIMEOUT_SECONDS = 120;
  /** A few seconds of a small model: enough for a dozen redraws and a few epochs' lines. */
  private static final String TRAIN = "train --hidden 32 --seq 32 --batch 4 --stateful --minutes 0.06 --eval-every 0 "
      + "--sample-length 40";

  @TempDir static Path shared;
  static Path text;

  @TempDir Path dir;

  @BeforeAll
  static void writeAText() throws IOException {
    String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran", "far", "away", "quick", "fox"};
    SplittableRandom random = new SplittableRandom(5);
    StringBuilder out = new StringBuilder();
    while (out.length() < 6000) {
      out.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? ".\n" : " ");
    }
    text = Files.writeString(shared.resolve("words.txt"), out);
  }

  /** Every redraw (each piece of a line that a carriage return starts again) fits, and ETA and speed show. */
  @ParameterizedTest(name = "{0} columns")
  @ValueSource(ints = {80, 40})
  void everyRedrawOfTheProgressLineFitsTheTerminal(int columns) throws Exception {
    Path run = dir.resolve("run");
    Session s = session(columns, TRAIN + " --data " + text + " --out " + run, "");
    assertEquals(0, s.status, s.output);
    assertFalse(s.output.contains("\033"), "no escape codes: " + s.output);
    assertFalse(s.output.contains("WARNING"), "nothing of Java's own: " + s.output);

    int redraws = 0;
    boolean etaShown = false;
    Set<Integer> bars = new TreeSet<>();
    for (String line : s.output.split("\r\n")) {
      if (!line.contains("\r")) {
        continue;
      }
      // A line the progress was drawn on: every piece must fit, the last one (an epoch's line or
      // "done", written once the bar is cleared) too, as standard output is the same terminal.
      for (String piece : line.split("\r")) {
        assertTrue(piece.length() <= columns - 1, columns + " columns, a piece of " + piece.length() + ": '" + piece
            + "' in\n" + s.output);
        redraws += piece.contains("% step") || piece.matches("\\s*\\d+%.*") ? 1 : 0;
        etaShown |= piece.contains("ETA ") && piece.contains(" chars/s");
        Matcher bar = Pattern.compile("\\[[#.]+\\]").matcher(piece);
        if (bar.find()) {
          bars.add(bar.group().length());
        }
      }
    }
    assertTrue(redraws >= 5, "redrawn " + redraws + " times:\n" + s.output);
    if (columns >= 80) {
      assertTrue(etaShown, "ETA and chars/s fit " + columns + " columns:\n" + s.output);
    }
    // The last line starts a line: after the bar was cleared, or after an epoch's lines.
    assertTrue(s.output.contains("\rdone: step ") || s.output.contains("\r\ndone: step "), s.output);
    assertTrue(bars.size() <= 1, "the bar keeps its width: " + bars + " in\n" + s.output);

    // Every line train prints fits too (the header, the epochs, the summary and the closing lines),
    // but the samples' own lines, which are the model's text, left as it wrote them.
    for (String line : s.output.split("\r\n|\r")) {
      if (!line.startsWith("    ")) {
        assertTrue(line.length() <= columns - 1, columns + " columns, a line of " + line.length() + ": '" + line
            + "' in\n" + s.output);
      }
    }
    // Wrapped lines go on indented: joined, the summary keeps both losses and the closing line names every file.
    String joined = s.output.replaceAll("\r?\n  (?! )", " ");
    Matcher done = Pattern.compile("done: step [^\r\n]*").matcher(joined);
    assertTrue(done.find(), joined);
    assertTrue(done.group().contains(" | train ") && done.group().contains(" | val "), done.group());
    boolean best = Files.exists(run.resolve("best-model.safetensors"));
    assertTrue(joined.contains("saved model.safetensors, training-state.safetensors, metrics.jsonl, loss.svg"
        + (best ? ", best-model.safetensors" : "") + " in "), joined);
  }

  /** {@code train 2> train.log} from a terminal: the log gets whole plain lines, never a carriage return. */
  @Test
  void progressRedirectedFromATerminalIsPlainLines() throws Exception {
    Path log = dir.resolve("train.log");
    Session s = session(80, TRAIN.replace("--minutes 0.06", "--minutes 0.25") + " --data " + text + " --out "
        + dir.resolve("run"), " 2> " + log);
    assertEquals(0, s.status, s.output);
    String err = Files.readString(log, StandardCharsets.UTF_8);
    assertFalse(err.contains("\r") || err.contains("\033"), err);
    assertTrue(err.lines().anyMatch(l -> l.matches(" *\\d+% step [\\d,]+ \\| epoch \\d+ \\| loss .* \\| ETA .*")),
        "a plain progress line every 10 s: " + err);
    assertFalse(err.contains("WARNING"), err);
    assertFalse(s.output.contains("% step"), "the terminal gets no progress: " + s.output);
  }

  /** An error through the relaunch is one line, and so is a usage error, which is not relaunched. */
  @Test
  void errorsAreOneLineInATerminalToo() throws Exception {
    Path missing = dir.resolve("missing.txt");
    Session failed = session(80, "train --data " + missing + " --steps 1", "");
    assertEquals(1, failed.status, failed.output);
    assertEquals(List.of("error: text file not found: " + missing), lines(failed.output));

    Session usage = session(80, "sample --top-k -1", "");
    assertEquals(2, usage.status, usage.output);
    assertEquals(List.of("error: --top-k must be at least 0 (0 keeps all), got -1 (see 'java -jar rnn.jar sample "
        + "--help')"), lines(usage.output));
  }

  /** Without --checkpoint, sample says on standard error which run it picked, before the text. */
  @Test
  void sampleNamesTheNewestRunItPicks() throws Exception {
    Session trained = session(80, "train --data " + text + " --hidden 8 --seq 16 --steps 2 --sample-length 0 --out "
        + "runs/words", "");
    assertEquals(0, trained.status, trained.output);
    Session s = session(80, "sample --length 10", "");
    assertEquals(0, s.status, s.output);
    assertEquals("using runs/words: the newest run under ./runs", lines(s.output).get(0));
  }

  /** The help wraps at the terminal's width. */
  @Test
  void helpUsesTheTerminalsWidth() throws Exception {
    for (int columns : new int[] {60, 100}) {
      Session s = session(columns, "train --help", "");
      assertEquals(0, s.status, s.output);
      // Examples stay one line each, to be copied whole; everything else wraps. On a terminal picocli colours
      // the help, with escape codes that take no column.
      int widest = lines(s.output.replaceAll("\033\\[[0-9;]*m", "")).stream().filter(l -> !l.startsWith("  java "))
          .mapToInt(String::length).max().orElse(0);
      assertTrue(widest <= columns && widest > columns - 12, columns + " columns, widest line " + widest + ":\n"
          + s.output);
    }
  }

  private static List<String> lines(String output) {
    return List.of(output.replace("\r\n", "\n").split("\n"));
  }

  /** What a session printed on the terminal, and its status. */
  private record Session(int status, String output) {}

  /**
   * Runs {@code java -cp CLASSES Main ARGS REDIRECT} in a pseudo-terminal of {@code columns} columns,
   * with no Vector API flag, so that a command worth it relaunches itself as from a shell.
   */
  private Session session(int columns, String args, String redirect) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(SCRIPT), "needs script(1) from util-linux for a pseudo-terminal");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command = "stty cols " + columns + " rows 24; exec " + java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
        + "-cp " + TrainProcessTest.classPath() + " " + Main.class.getName() + " " + args + redirect;
    List<String> script = new ArrayList<>(List.of(SCRIPT.toString(), "-q", "-e", "-c", command, "/dev/null"));
    Process p = new ProcessBuilder(script).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "script did not end");
    return new Session(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
