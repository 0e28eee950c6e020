package dev.tapegrad.rnn.cli;

import static dev.tapegrad.rnn.cli.MainTest.assertFailure;
import static dev.tapegrad.rnn.cli.MainTest.assertUsage;
import static dev.tapegrad.rnn.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.io.Safetensors;
import dev.tapegrad.rnn.checkpoint.Checkpoint;
import dev.tapegrad.rnn.train.TrainConfig;
import dev.tapegrad.rnn.train.TrainPreset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors that end in a next step: what is wrong, with which file, and what to do about it. */
class MessagesTest {

  private static final String TEXT = "the cat sat on the mat.\n".repeat(4);

  @TempDir static Path shared;
  static Path run;

  @TempDir Path dir;

  @BeforeAll
  static void trainATinyRun() throws IOException {
    Path text = Files.writeString(shared.resolve("small.txt"), TEXT);
    run = shared.resolve("run");
    MainTest.Result r = run("train", "--preset", "notebook", "--hidden", "8", "--seq", "10", "--batch", "2",
        "--sample-length", "0", "--data", text.toString(), "--steps", "5", "--out", run.toString());
    assertEquals(0, r.status(), r.toString());
  }

  @Test
  void aTruncatedBestModelSaysSoAndPointsToTheIntactLastWeights() throws IOException {
    Path copy = copyRun();
    Path best = copy.resolve(Checkpoint.BEST_MODEL_FILE);
    byte[] bytes = Files.readAllBytes(best);
    Files.write(best, Arrays.copyOf(bytes, bytes.length - 100));

    MainTest.Result r = run("sample", "--checkpoint", copy.toString(), "--length", "5");

    assertFailure(r, "error: " + best + ": the file is truncated: its header describes " + (bytes.length - 8
        - headerLength(bytes)) + " bytes of tensor data, but only " + (bytes.length - 108 - headerLength(bytes))
        + " follow it (expected a file of " + bytes.length + " bytes, found " + (bytes.length - 100) + "); it was "
        + "cut short, for example by a full disk or an interrupted copy; the run's last weights in "
        + copy.resolve(Checkpoint.MODEL_FILE) + " are intact: pass --checkpoint " + copy.resolve(Checkpoint.MODEL_FILE)
        + " to use them");
  }

  /** Bit rot: one flipped bit in a model's data is refused, naming the file, with the intact weights to use. */
  @Test
  void aFlippedBitInABestModelIsRefusedAsCorruptAndTheLastWeightsAreNamed() throws IOException {
    Path copy = copyRun();
    Path best = copy.resolve(Checkpoint.BEST_MODEL_FILE);
    byte[] bytes = Files.readAllBytes(best);
    bytes[bytes.length - 37] ^= 0x10;
    Files.write(best, bytes);

    MainTest.Result r = run("sample", "--checkpoint", copy.toString(), "--length", "5");

    assertEquals(1, r.status(), r.toString());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.errLines().get(0).startsWith("error: " + best + ": the file is corrupt: the CRC32C of its tensor "
        + "data is "), r.err());
    assertTrue(r.errLines().get(0).endsWith("; the run's last weights in " + copy.resolve(Checkpoint.MODEL_FILE)
        + " are intact: pass --checkpoint " + copy.resolve(Checkpoint.MODEL_FILE) + " to use them"), r.err());
  }

  /** Metadata that claim a million layers for seven tensors are refused before a list of names is made. */
  @Test
  void metadataClaimingMoreLayersThanTheFileHoldsAreRefusedBeforeAnythingIsMade() {
    Safetensors.Contents real = Safetensors.read(run.resolve(Checkpoint.MODEL_FILE));
    Map<String, String> meta = new LinkedHashMap<>(real.metadata());
    meta.put("layers", "1048576");
    Path forged = dir.resolve("forged.safetensors");
    Safetensors.write(forged, real.tensors(), meta);

    assertFailure(run("sample", "--checkpoint", forged.toString(), "--length", "5"), "error: forged.safetensors: the "
        + "file holds 7 tensors, but a model of 1048576 layers has 4194307 (the metadata describe a 1048576-layer gru "
        + "model of vocab size 12, hidden 8)");
  }

  @Test
  void aVocabularyTooLargeForTheEmbeddingNamesTheEmbeddingAndTheLimit() throws IOException {
    StringBuilder text = new StringBuilder();
    // 46,341 distinct characters: one more than a V×V array can hold (46,340² < 2³¹ − 1 < 46,341²).
    for (int cp = 0x4E00; cp < 0x4E00 + 20_000; cp++) {
      text.appendCodePoint(cp);
    }
    for (int cp = 0x20000; cp < 0x20000 + 26_341; cp++) {
      text.appendCodePoint(cp);
    }
    Path wide = Files.writeString(dir.resolve("wide.txt"), text.append('\n').toString());

    assertFailure(run("train", "--data", wide.toString(), "--hidden", "1", "--steps", "1", "--out",
        dir.resolve("out").toString()), "error: the text has 46,342 distinct characters, too many: the model's V×V "
        + "embedding (encoder.weight) would have 2,147,580,964 weights, more than Java's limit of 2,147,483,647 in one "
        + "array, so at most 46,340 distinct characters can be trained on; use a text with fewer (--lowercase merges "
        + "upper and lower case)");
    assertTrue(Files.notExists(dir.resolve("out")), "nothing was written");
  }

  @Test
  void aModelLargeForTheHeapIsWarnedAboutNamingTheEmbedding() {
    TrainConfig config = TrainPreset.NOTEBOOK.builder().hidden(8).build();
    assertEquals(Optional.empty(), TrainCommand.sizeWarning(config, 100, 1L << 30));
    Optional<String> warning = TrainCommand.sizeWarning(config, 5000, 256L << 20);
    assertEquals(Optional.of("warning: the model has 25,165,240 weights (95 MB, about 383 MB with their gradients and "
        + "Adam's moments), most of them in the V×V embedding of the 5,000 distinct characters, more than half of "
        + "Java's 256 MB heap; training may run out of memory (give Java more with -Xmx, or train a smaller model)"),
        warning);
  }

  @Test
  void aGraphIntoAMissingDirectoryIsOneLineNamingIt() {
    Path out = dir.resolve("missing").resolve("x.dot");
    assertFailure(run("graph", "--out", out.toString()), "error: cannot write " + out + ": directory "
        + out.getParent() + " does not exist");
  }

  @Test
  void anUnknownOptionOrCommandSuggestsTheNearestOne() {
    assertUsage(run("train", "--step", "5"), "error: Unknown options: '--step', '5'; did you mean --steps? (see "
        + "'java -jar rnn.jar train --help')");
    assertUsage(run("smaple"), "error: unknown command 'smaple'; did you mean sample? The commands are train, sample, "
        + "eval, bench, graph, visualize, help, version (see 'java -jar rnn.jar --help')");
  }

  @Test
  void aMalformedNumberSaysWhatKindOfNumberIsWanted() {
    assertUsage(run("train", "--steps", "abc"), "error: Invalid value for option '--steps': 'abc' is not a whole "
        + "number (see 'java -jar rnn.jar train --help')");
    assertUsage(run("sample", "--temperature", "warm"), "error: Invalid value for option '--temperature': 'warm' is "
        + "not a number (see 'java -jar rnn.jar sample --help')");
  }

  @Test
  void helpAndVersionWorkAsCommands() {
    MainTest.Result help = run("help", "sample");
    assertEquals(0, help.status(), help.toString());
    assertTrue(help.out().startsWith("Usage: java -jar rnn.jar sample"), help.out());
    MainTest.Result version = run("version");
    assertEquals(0, version.status(), version.toString());
    assertEquals(run("--version").out(), version.out());
  }

  private static long headerLength(byte[] bytes) {
    long n = 0;
    for (int i = 7; i >= 0; i--) {
      n = n << 8 | (bytes[i] & 0xFF);
    }
    return n;
  }

  private Path copyRun() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("copy"));
    for (String name : List.of(Checkpoint.MODEL_FILE, Checkpoint.BEST_MODEL_FILE, Checkpoint.STATE_FILE)) {
      Files.copy(run.resolve(name), copy.resolve(name));
    }
    return copy;
  }
}
