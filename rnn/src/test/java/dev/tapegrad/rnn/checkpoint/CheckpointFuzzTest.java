package dev.tapegrad.rnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.io.SafetensorsFormatException;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.train.TrainingState;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds thousands of damaged char-model and training-state files to {@link Checkpoint}: each one
 * must load, or be refused with a one-line {@link SafetensorsFormatException} naming the file;
 * nothing else may escape. {@code SafetensorsTest} does the same one level down, for the container
 * format; here the damage also reaches the metadata and the tensors' names, shapes and values.
 */
class CheckpointFuzzTest {

  private static final int CASES = 2000;

  /** Values that break a metadata entry in every way we could think of, and some that do not. */
  private static final List<String> HOSTILE_VALUES = List.of("", " ", "-1", "0", "1", "2", "3", "7", "2147483647",
      "2147483648", "9223372036854775807", "99999999999999999999", "1e3", "1.5", "NaN", "Infinity", "-0", "true",
      "false", "TRUE", "gru", "lstm", "tapegrad-charrnn/1", "tapegrad-trainstate/1", "[", "[]", "[97]",
      "[97,97]", "[98,97]", "[-1,97]", "[97,1114112]", "[97,98,99,100,101]", "[97,98,99,100,101,102]",
      "[97.0,98,99,100,101]", "{}", "\"abc\"", "null", "[[97]]", "\u0000", "1048577");

  @TempDir static Path dir;
  static CharModel model;
  static byte[] validModel;
  static byte[] validState;
  static final long STEP = 12;

  @BeforeAll
  static void saveAValidPair() throws IOException {
    CharVocabulary vocab = CharVocabulary.of(new int[] {'\n', 'a', 'b', 'c', 'é'}, false);
    model = CharModel.create(vocab.size(), 3, 2, new SplittableRandom(4));
    Path modelFile = dir.resolve("valid-model.safetensors");
    Checkpoint.saveModel(modelFile, model, vocab, STEP);
    validModel = Files.readAllBytes(modelFile);
    Map<String, Tensor> first = new LinkedHashMap<>();
    Map<String, Tensor> second = new LinkedHashMap<>();
    SplittableRandom random = new SplittableRandom(5);
    model.namedParameters().forEach((name, p) -> {
      first.put(name, Tensor.uniform(random, -1, 1, p.shape().dims()));
      second.put(name, Tensor.uniform(random, 0, 1, p.shape().dims()));
    });
    Path stateFile = dir.resolve("valid-state.safetensors");
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("seq", "16");
    settings.put("lr", "0.001");
    Checkpoint.saveState(stateFile, model, new TrainingState(STEP, 77, 0, 3.5, 1.25, 0, first, second, List.of()), settings);
    validState = Files.readAllBytes(stateFile);
  }

  @Test
  void damagedModelFilesLoadOrAreRefusedWithOneLineNamingTheFile() throws IOException {
    Path file = dir.resolve(Checkpoint.MODEL_FILE);
    int[] outcome = fuzz(validModel, new SplittableRandom(2024), file, path -> {
      Checkpoint.Loaded loaded = Checkpoint.loadModel(path);
      for (Variable p : loaded.model().parameters()) {
        assertTrue(p.value().isFinite(), "a loaded model has finite weights");
      }
      assertEquals(loaded.vocab().size(), loaded.model().vocab());
      return loaded;
    });
    System.out.printf("checkpoint fuzz: %d damaged model files, %d loaded, %d refused%n", CASES, outcome[0],
        outcome[1]);
    assertTrue(outcome[0] > 50, "flips in the float data keep some files valid: " + outcome[0]);
    assertTrue(outcome[1] > CASES / 2, "most damage is refused: " + outcome[1]);
  }

  @Test
  void damagedTrainingStateFilesLoadOrAreRefusedWithOneLineNamingTheFile() throws IOException {
    Path file = dir.resolve("state").resolve(Checkpoint.STATE_FILE);
    Files.createDirectories(file.getParent());
    int[] outcome = fuzz(validState, new SplittableRandom(2025), file, path -> {
      Checkpoint.LoadedState loaded = Checkpoint.loadState(path, model, STEP);
      assertEquals(STEP, loaded.state().step());
      for (Tensor v : loaded.state().secondMoments().values()) {
        assertTrue(v.isFinite(), "a loaded state has finite moments");
      }
      return loaded;
    });
    System.out.printf("checkpoint fuzz: %d damaged training-state files, %d loaded, %d refused%n", CASES, outcome[0],
        outcome[1]);
    assertTrue(outcome[0] > 50, "flips in the float data keep some files valid: " + outcome[0]);
    assertTrue(outcome[1] > CASES / 2, "most damage is refused: " + outcome[1]);
  }

  /** Runs {@link #CASES} damaged copies of {@code valid} through {@code load}; returns {loaded, refused}. */
  private static int[] fuzz(byte[] valid, SplittableRandom random, Path file, Function<Path, Object> load)
      throws IOException {
    Safetensors.Contents contents = Safetensors.read(valid);
    int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    // Container errors name the path given, the checkpoint's own checks the file's name.
    String path = file + ": ";
    String name = file.getFileName() + ": ";
    int loaded = 0;
    int refused = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] bytes = damage(valid, contents, headerEnd, random, i % 7);
      Files.write(file, bytes);
      try {
        load.apply(file);
        loaded++;
      } catch (SafetensorsFormatException e) {
        assertTrue(e.getMessage().startsWith(path) || e.getMessage().startsWith(name), "case " + i + ": "
            + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "case " + i + " message has a line break: " + e.getMessage());
        refused++;
      } catch (Throwable t) {
        fail("case " + i + " threw " + t, t);
      }
    }
    return new int[] {loaded, refused};
  }

  private static byte[] damage(byte[] valid, Safetensors.Contents contents, int headerEnd, SplittableRandom random,
      int kind) {
    byte[] bytes = valid.clone();
    switch (kind) {
      case 0 -> {
        return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      }
      case 1 -> {
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          int at = random.nextInt(bytes.length);
          bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
      }
      case 2 -> {
        byte[] punctuation = "{}[],:\"0123456789-.e ".getBytes(StandardCharsets.US_ASCII);
        for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
          bytes[8 + random.nextInt(headerEnd - 8)] = punctuation[random.nextInt(punctuation.length)];
        }
        return bytes;
      }
      case 3 -> {
        long length = switch (random.nextInt(3)) {
          case 0 -> random.nextLong();
          case 1 -> headerEnd - 8 + random.nextInt(-16, 17);
          default -> random.nextLong(bytes.length);
        };
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        return bytes;
      }
      case 4, 5 -> {
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        // Sorted: the order of a read file's maps may differ from one JVM to the next.
        List<String> keys = new ArrayList<>(new TreeSet<>(meta.keySet()));
        for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
          String key = keys.get(random.nextInt(keys.size()));
          if (random.nextInt(8) == 0) {
            meta.remove(key);
          } else {
            meta.put(key, HOSTILE_VALUES.get(random.nextInt(HOSTILE_VALUES.size())));
          }
        }
        return Safetensors.toBytes(contents.tensors(), meta);
      }
      default -> {
        return Safetensors.toBytes(damageTensors(contents.tensors(), random), contents.metadata());
      }
    }
  }

  /** Drops, adds, renames, reshapes or poisons one tensor. */
  private static Map<String, Tensor> damageTensors(Map<String, Tensor> tensors, SplittableRandom random) {
    Map<String, Tensor> out = new LinkedHashMap<>(tensors);
    List<String> names = new ArrayList<>(new TreeSet<>(out.keySet()));
    String name = names.get(random.nextInt(names.size()));
    Tensor t = out.get(name);
    switch (random.nextInt(5)) {
      case 0 -> out.remove(name);
      case 1 -> out.put(name.replace("l0", "l9").replace("weight", "weight_").replace("adam.v", "adam.w"), t);
      case 2 -> out.put(name, Tensor.of(t.toArray(), t.size()));
      case 3 -> out.put(names.get(random.nextInt(names.size())), Tensor.zeros(1 + random.nextInt(4), 2));
      default -> {
        float[] data = t.storage().clone();
        float[] poison = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f, Float.MAX_VALUE};
        data[random.nextInt(data.length)] = poison[random.nextInt(poison.length)];
        Tensor poisoned = Tensor.zeros(t.shape());
        poisoned.copyFrom(data);
        out.put(name, poisoned);
      }
    }
    return out;
  }
}
