package dev.tapegrad.rnn.cli;

import static dev.tapegrad.rnn.cli.MainTest.assertFailure;
import static dev.tapegrad.rnn.cli.MainTest.assertUsage;
import static dev.tapegrad.rnn.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapegrad.rnn.checkpoint.Checkpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Texts from pipes and standard input, outputs into closed pipes, and paths that are no files. */
class PipesTest {

  private static final String TEXT = "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(4);

  @TempDir static Path shared;
  static Path text;
  static Path run;

  @TempDir Path dir;

  @BeforeAll
  static void trainATinyRun() throws IOException {
    text = Files.writeString(shared.resolve("small.txt"), TEXT);
    run = shared.resolve("run");
    MainTest.Result r = run("train", "--preset", "notebook", "--hidden", "8", "--seq", "10", "--batch", "2",
        "--sample-length", "0", "--data", text.toString(), "--steps", "3", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
  }

  @Test
  void aDashReadsTheTextFromStandardInputAsTheSameFileWould() {
    MainTest.Result fromFile = run("eval", "--checkpoint", run.toString(), "--data", text.toString(), "--json");
    MainTest.Result fromPipe = withStandardInput(TEXT, () -> run("eval", "--checkpoint", run.toString(), "--data", "-",
        "--json"));
    assertEquals(0, fromPipe.status(), fromPipe.toString());
    assertEquals(fromFile.out(), fromPipe.out());

    Path piped = dir.resolve("piped");
    MainTest.Result trained = withStandardInput(TEXT, () -> run("train", "--preset", "notebook", "--hidden", "8",
        "--seq", "10", "--batch", "2", "--sample-length", "0", "--data", "-", "--steps", "3", "--out",
        piped.toString()));
    assertEquals(0, trained.status(), trained.toString());
    assertTrue(trained.out().contains("data: standard input | " + TEXT.length() + " characters"), trained.out());
    MainTest.Result resumed = withStandardInput(TEXT, () -> run("train", "--resume", piped.toString(), "--data", "-",
        "--steps", "5"));
    assertEquals(0, resumed.status(), "the same text piped again resumes the run: " + resumed);
    assertUsage(run("train", "--resume", piped.toString(), "--steps", "7"), "error: the run in " + piped + " trained "
        + "on standard input: pipe the same text in again with --data - (see 'java -jar rnn.jar train --help')");
    assertFailure(withStandardInput("", () -> run("eval", "--checkpoint", run.toString(), "--data", "-")),
        "error: standard input (-) is empty; pipe a non-empty text into it");
  }

  /** A named pipe with no writer would block a reader forever: it is refused at once, in one line. */
  @Test
  void aNamedPipeIsRefusedInOneLineWithoutWaiting() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "needs mkfifo");
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("/usr/bin/mkfifo", fifo.toString()).start().waitFor());
    long start = System.nanoTime();

    assertFailure(run("train", "--data", fifo.toString(), "--steps", "1", "--out", dir.resolve("out").toString()),
        "error: " + fifo + " is not a regular file (a pipe or a device cannot be read twice); save it to a file, or "
            + "pipe it into standard input and give - as the file");
    assertFailure(run("eval", "--checkpoint", run.toString(), "--data", fifo.toString()), "error: " + fifo + " is not "
        + "a regular file (a pipe or a device cannot be read twice); save it to a file, or pipe it into standard input "
        + "and give - as the file");
    assertFailure(run("sample", "--checkpoint", fifo.toString()), "error: checkpoint " + fifo + " is not a file or a "
        + "directory (a pipe or a device?); give a run directory or a .safetensors file");
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "no read waited for a writer");
  }

  /** As when 'sample | head' has what it wanted: the sampler stops soon after its reader is gone. */
  @Test
  void sampleStopsOnceItsReaderIsGone() {
    ClosingAfter reader = new ClosingAfter(100);
    PrintWriter out = new PrintWriter(new PrintStream(reader, false, StandardCharsets.UTF_8), true);
    StringWriter err = new StringWriter();

    int status = Main.run(new String[] {"sample", "--checkpoint", run.toString(), "--length", "100000", "--quiet"}, out,
        new PrintWriter(err));

    assertEquals(0, status, err.toString());
    assertEquals("", err.toString());
    assertTrue(reader.refused < 2_000, reader.refused + " bytes written after the reader left (of 100,000)");
  }

  @Test
  void anEmptyOutIsRefused() {
    assertUsage(run("train", "--data", text.toString(), "--out", ""), "error: --out is empty: name the directory to "
        + "save the run in (see 'java -jar rnn.jar train --help')");
    assertUsage(run("graph", "--out", ""), "error: --out is empty: name the file to write, or leave --out out for "
        + "standard output (see 'java -jar rnn.jar graph --help')");
    assertUsage(run("visualize", "--prime", "the", "--out", ""), "error: --out is empty: name the page to write (see "
        + "'java -jar rnn.jar visualize --help')");
  }

  @Test
  void aPrimeCanBeReadFromAFileAsNanoGptDoes() throws IOException {
    Path prompt = Files.writeString(dir.resolve("prompt.txt"), "the dog");
    MainTest.Result fromFile = run("sample", "--checkpoint", run.toString(), "--start", "FILE:" + prompt, "--length",
        "20");
    MainTest.Result given = run("sample", "--checkpoint", run.toString(), "--prime", "the dog", "--length", "20");
    assertEquals(0, fromFile.status(), fromFile.toString());
    assertTrue(fromFile.out().startsWith("the dog"), fromFile.out());
    assertEquals(given.out(), fromFile.out());
    assertFailure(run("sample", "--checkpoint", run.toString(), "--prime", "FILE:" + dir.resolve("none.txt")),
        "error: text file not found: " + dir.resolve("none.txt"));
  }

  @Test
  void visualizeSkipsUnknownCharactersWhenAskedAndSaysHowMany() throws IOException {
    Path foreign = Files.writeString(dir.resolve("foreign.txt"), "the Zeb sat on the mat.\n");
    Path page = dir.resolve("page.html");
    assertFailure(run("visualize", "--checkpoint", run.toString(), "--text", foreign.toString(), "--out",
        page.toString()), "error: 2 characters are not in the model's vocabulary: 'Z', 'b'");

    MainTest.Result r = run("visualize", "--checkpoint", run.toString(), "--text", foreign.toString(), "--skip-unknown",
        "--out", page.toString());

    assertEquals(0, r.status(), r.toString());
    assertEquals("skipped 2 characters (--skip-unknown): 2 characters are not in the model's vocabulary: 'Z', 'b'",
        r.errLines().get(0));
    assertTrue(r.out().contains("wrote " + page + ": 22 characters"), r.out());
    assertTrue(Files.size(page) > 0);
    assertTrue(Files.exists(run.resolve(Checkpoint.MODEL_FILE)));
  }

  private static MainTest.Result withStandardInput(String input, Supplier<MainTest.Result> call) {
    InputStream before = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return call.get();
    } finally {
      System.setIn(before);
    }
  }

  /** A reader that takes {@code limit} bytes, then is gone: every later write fails, as into a closed pipe. */
  private static final class ClosingAfter extends OutputStream {
    private final int limit;
    private int taken;
    int refused;

    ClosingAfter(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (taken + len > limit) {
        refused += len;
        throw new IOException("Broken pipe");
      }
      taken += len;
    }
  }
}
