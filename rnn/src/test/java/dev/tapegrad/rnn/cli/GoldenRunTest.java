package dev.tapegrad.rnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tapegrad.io.Safetensors;
import dev.tapegrad.tensor.Backend;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bit for bit: six small training runs (each cell, random chunks and stateful, two layers with
 * dropout, 30 steps) must write exactly the checkpoints recorded in {@code golden/}. A
 * refactor that keeps the arithmetic keeps these bytes; one that changes rounding must record them
 * anew in a commit of its own that says why (and the PyTorch reference tests must still pass).
 *
 * <p>What is compared: {@code model.safetensors} byte for byte, and every tensor of
 * {@code training-state.safetensors} byte for byte with every metadata entry but
 * {@code elapsed_seconds} (wall time) and {@code data} (the text's path, a temporary directory).
 *
 * <p>The runs use the scalar reference kernels, whose results depend only on Java's float
 * arithmetic, not on the machine's vector width; so this test runs in the surefire execution that
 * sets {@code -Dtapegrad.kernels=scalar} (rnn/pom.xml) and is skipped elsewhere. Java 17 and 25
 * wrote the same bytes when they were recorded; should a later release round {@code Math.tanh} or
 * {@code Math.exp} differently, this test is where it shows. To record (after a change that is
 * meant to change the numbers):
 *
 * <pre>
 * mvn -B -pl rnn -am test -Dtest=GoldenRunTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtapegrad.golden.record=$PWD/rnn/src/test/resources/golden
 * </pre>
 */
class GoldenRunTest {

  /** When set, the runs write their files under this directory instead of comparing them. */
  static final String RECORD_PROPERTY = "tapegrad.golden.record";

  private static final List<String> COMMON = List.of("--layers", "2", "--dropout", "0.25", "--hidden", "12",
      "--seq", "10", "--batch", "3", "--steps", "30", "--seed", "7", "--sample-length", "5");

  static Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    for (String cell : List.of("gru", "lstm", "rnn")) {
      runs.add(Arguments.of(cell + "-random", List.of("--cell", cell, "--preset", "notebook")));
      runs.add(Arguments.of(cell + "-stateful", List.of("--cell", cell, "--preset", "data", "--warmup", "5")));
    }
    return runs.stream();
  }

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void trainingWritesTheRecordedCheckpointBitForBit(String name, List<String> options) throws IOException {
    assumeTrue(!Backend.current().simd(), "the golden runs need -Dtapegrad.kernels=scalar (see rnn/pom.xml)");
    Path text = dir.resolve("text.txt");
    try (InputStream in = GoldenRunTest.class.getResourceAsStream("/golden/text.txt")) {
      Files.write(text, in.readAllBytes());
    }
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of("train", "--data", text.toString(), "--out", out.toString()));
    args.addAll(COMMON);
    args.addAll(options);
    StringWriter log = new StringWriter();
    int status = Main.run(args.toArray(String[]::new), new PrintWriter(log, true), new PrintWriter(log, true));
    assertEquals(0, status, log.toString());

    String record = System.getProperty(RECORD_PROPERTY);
    if (record != null) {
      Path target = Files.createDirectories(Path.of(record, name));
      for (String file : List.of("model.safetensors", "training-state.safetensors")) {
        Files.copy(out.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
      return;
    }
    String base = "/golden/" + name + "/";
    assertArrayEquals(resource(base + "model.safetensors"), Files.readAllBytes(out.resolve("model.safetensors")),
        name + ": model.safetensors differs from the recorded one");
    assertSameState(name, Safetensors.read(resource(base + "training-state.safetensors")),
        Safetensors.read(out.resolve("training-state.safetensors")));
  }

  private static void assertSameState(String name, Safetensors.Contents expected, Safetensors.Contents actual) {
    Map<String, String> expectedMeta = new TreeMap<>(expected.metadata());
    Map<String, String> actualMeta = new TreeMap<>(actual.metadata());
    for (String varying : List.of("elapsed_seconds", "data")) {
      expectedMeta.remove(varying);
      actualMeta.remove(varying);
    }
    assertEquals(expectedMeta, actualMeta, name + ": training-state metadata");
    assertEquals(expected.tensors().keySet(), actual.tensors().keySet(), name + ": training-state tensor names");
    for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
      Tensor a = actual.tensors().get(e.getKey());
      assertEquals(e.getValue().shape(), a.shape(), name + ": shape of " + e.getKey());
      assertArrayEquals(e.getValue().storage(), a.storage(), name + ": " + e.getKey());
    }
  }

  private static byte[] resource(String path) {
    try (InputStream in = GoldenRunTest.class.getResourceAsStream(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
