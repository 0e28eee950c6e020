package dev.tapegrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir Path dir;

  // --- writing and round trips -------------------------------------------------------------------

  @Test
  void roundTripIsBitExactIncludingNegativeZeroSubnormalsAndNaNPayloads() {
    float[] special = {
      0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001),
      Float.intBitsToFloat(0xff800123), 1f / 3, -123.456f
    };
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("special", Tensor.of(special));
    tensors.put("matrix", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    tensors.put("scalar", Tensor.scalar(7.5f));
    tensors.put("cube", Tensor.uniform(new SplittableRandom(1), -1, 1, 2, 3, 4));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "tapegrad-charrnn/1");
    metadata.put("vocab", "[10,32,233,119070]");
    metadata.put("note", "héllo 𝄞 \"quoted\"\nnext line");

    Path file = dir.resolve("model.safetensors");
    Safetensors.write(file, tensors, metadata);
    Safetensors.Contents read = Safetensors.read(file);

    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(read.tensors().keySet()));
    assertEquals(metadata, read.metadata());
    for (String name : tensors.keySet()) {
      Tensor expected = tensors.get(name);
      Tensor actual = read.tensors().get(name);
      assertEquals(expected.shape(), actual.shape(), name);
      assertArrayEquals(rawBits(expected.data()), rawBits(actual.data()), name);
    }
  }

  @Test
  void fileBytesEqualToBytes() throws IOException {
    Map<String, Tensor> tensors = Map.of("w", Tensor.of(new float[] {1, 2, 3}));
    Path file = dir.resolve("w.safetensors");
    Safetensors.write(file, tensors, Map.of("k", "v"));
    assertArrayEquals(Safetensors.toBytes(tensors, Map.of("k", "v")), Files.readAllBytes(file));
  }

  @Test
  void headerIsPaddedWithSpacesToAMultipleOfEight() {
    for (int nameLength = 1; nameLength <= 16; nameLength++) {
      byte[] bytes = Safetensors.toBytes(Map.of("x".repeat(nameLength), Tensor.zeros(3)), Map.of());
      long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      assertEquals(0, headerLength % 8, "header length " + headerLength);
      assertEquals(8 + headerLength + 3 * 4, bytes.length);
      String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
      assertTrue(header.startsWith("{") && header.stripTrailing().endsWith("}"), header);
      assertTrue(header.substring(header.stripTrailing().length()).chars().allMatch(c -> c == ' '), header);
    }
  }

  @Test
  void writesTheStandardLayoutWithMetadataFirstAndContiguousOffsetsInMapOrder() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("b", Tensor.of(new float[] {1, 2}));
    tensors.put("a", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
    byte[] bytes = Safetensors.toBytes(tensors, Map.of("format", "x"));
    int headerLength = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    String header = new String(bytes, 8, headerLength, StandardCharsets.UTF_8).stripTrailing();
    assertEquals("{\"__metadata__\":{\"format\":\"x\"},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[8,32]}}", header);
    ByteBuffer data = ByteBuffer.wrap(bytes, 8 + headerLength, 32).slice().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(1f, data.getFloat(0));
    assertEquals(2f, data.getFloat(4));
    assertEquals(1f, data.getFloat(8));
    assertEquals(6f, data.getFloat(28));
  }

  @Test
  void writesNoMetadataKeyWhenMetadataIsEmpty() {
    byte[] bytes = Safetensors.toBytes(Map.of("a", Tensor.zeros(1)), Map.of());
    assertFalse(new String(bytes, StandardCharsets.UTF_8).contains("__metadata__"));
    assertEquals(Map.of(), Safetensors.read(bytes).metadata());
  }

  @Test
  void emptyTensorMapRoundTrips() {
    Safetensors.Contents read = Safetensors.read(Safetensors.toBytes(Map.of(), Map.of("k", "v")));
    assertEquals(Map.of(), read.tensors());
    assertEquals(Map.of("k", "v"), read.metadata());
  }

  @Test
  void loadsAFileWrittenByHandAsAnotherToolWould() {
    // The header a Python writer produces, with a space after each separator and padding to 8.
    String json = "{\"__metadata__\": {\"format\": \"pt\"}, "
        + "\"w\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}, "
        + "\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [16, 20]}}";
    byte[] header = json.getBytes(StandardCharsets.US_ASCII);
    int padded = (header.length + 7) / 8 * 8;
    byte[] file = new byte[8 + padded + 20];
    // u64 header length, little-endian, byte by byte.
    file[0] = (byte) padded;
    file[1] = (byte) (padded >>> 8);
    System.arraycopy(header, 0, file, 8, header.length);
    for (int i = 8 + header.length; i < 8 + padded; i++) {
      file[i] = 0x20;
    }
    int data = 8 + padded;
    // w = [[1.0, -2.0], [0.5, -0.0]] and b = [3.0], as little-endian IEEE 754 bit patterns.
    byte[][] floats = {
      {0x00, 0x00, (byte) 0x80, 0x3f}, {0x00, 0x00, 0x00, (byte) 0xc0}, {0x00, 0x00, 0x00, 0x3f},
      {0x00, 0x00, 0x00, (byte) 0x80}, {0x00, 0x00, 0x40, 0x40}
    };
    for (int i = 0; i < floats.length; i++) {
      System.arraycopy(floats[i], 0, file, data + 4 * i, 4);
    }

    Safetensors.Contents read = Safetensors.read(file);

    assertEquals(List.of("w", "b"), List.copyOf(read.tensors().keySet()));
    assertEquals(Shape.of(2, 2), read.tensors().get("w").shape());
    assertArrayEquals(rawBits(new float[] {1f, -2f, 0.5f, -0f}), rawBits(read.tensors().get("w").data()));
    assertArrayEquals(new float[] {3f}, read.tensors().get("b").data());
    assertEquals(Map.of("format", "pt"), read.metadata());
  }

  @Test
  void loadsTensorsWhoseBytesAreStoredInAnotherOrderThanTheHeader() {
    byte[] file = file("{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
        + "\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 1f, 2f);
    Safetensors.Contents read = Safetensors.read(file);
    assertEquals(List.of("second", "first"), List.copyOf(read.tensors().keySet()));
    assertEquals(2f, read.tensors().get("second").item());
    assertEquals(1f, read.tensors().get("first").item());
  }

  @Test
  void readsFromABufferPositionWithoutMovingIt() {
    byte[] inner = Safetensors.toBytes(Map.of("a", Tensor.of(new float[] {4, 5})), Map.of());
    ByteBuffer buffer = ByteBuffer.allocate(inner.length + 10);
    buffer.position(3).put(inner).position(3).limit(3 + inner.length);
    assertArrayEquals(new float[] {4, 5}, Safetensors.read(buffer).tensors().get("a").data());
    assertEquals(3, buffer.position());
    assertEquals(3 + inner.length, buffer.limit());
  }

  @Test
  void contentsMapsAreReadOnly() {
    Safetensors.Contents read = Safetensors.read(Safetensors.toBytes(Map.of("a", Tensor.zeros(1)), Map.of("k", "v")));
    assertThrows(UnsupportedOperationException.class, () -> read.tensors().put("b", Tensor.zeros(1)));
    assertThrows(UnsupportedOperationException.class, () -> read.metadata().put("x", "y"));
  }

  @Test
  void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "old contents");
    Safetensors.write(file, Map.of("a", Tensor.of(new float[] {9})), Map.of());
    assertEquals(9f, Safetensors.read(file).tensors().get("a").item());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void writeRefusesATensorNamedLikeTheMetadataKeyAndLeavesTheTargetUntouched() throws IOException {
    Path file = dir.resolve("model.safetensors");
    Files.writeString(file, "old contents");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Safetensors.write(file, Map.of("__metadata__", Tensor.zeros(1)), Map.of()));
    assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    assertEquals("old contents", Files.readString(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void failedMoveRemovesTheTemporaryFileAndThrowsUncheckedIo() throws IOException {
    Path target = dir.resolve("occupied");
    Files.createDirectory(target);
    Files.writeString(target.resolve("keep.txt"), "x");
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> Safetensors.write(target, Map.of("a", Tensor.zeros(1)), Map.of()));
    assertTrue(e.getMessage().contains("occupied"), e.getMessage());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void readingAMissingFileThrowsUncheckedIo() {
    assertThrows(UncheckedIOException.class, () -> Safetensors.read(dir.resolve("absent.safetensors")));
  }

  @Test
  void refusalMessagesNameTheFile() throws IOException {
    Path file = dir.resolve("short.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file));
    assertEquals(file + ": file is 3 bytes, shorter than the 8-byte header length", e.getMessage());
  }

  // --- refusals ------------------------------------------------------------------------------------

  @Test
  void refusesAFileShorterThanEightBytes() {
    assertRefused(new byte[0], "file is 0 bytes, shorter than the 8-byte header length");
    assertRefused(new byte[7], "file is 7 bytes, shorter than the 8-byte header length");
  }

  @Test
  void refusesAHeaderLengthAboveTheLimit() {
    assertRefused(withLength(-1L, new byte[16]),
        "header length 18446744073709551615 is above the 100000000-byte limit");
    assertRefused(withLength(100_000_001L, new byte[16]), "header length 100000001 is above the 100000000-byte limit");
  }

  @Test
  void refusesAHeaderLengthLargerThanTheFile() {
    assertRefused(withLength(9, "{}      ".getBytes(StandardCharsets.US_ASCII)),
        "header length 9 is larger than the 8 bytes that follow it");
  }

  @Test
  void refusesAHeaderThatIsNotUtf8() {
    byte[] header = "{\"a\u00ff\":1}".getBytes(StandardCharsets.ISO_8859_1);
    assertRefused(withLength(header.length, header), "header is not valid UTF-8 (bad byte sequence at header byte 3)");
  }

  @Test
  void refusesAHeaderThatIsNotJson() {
    assertRefused(file("{\"a\": }"), "header is not valid JSON (unexpected character \"}\" at offset 6)");
    assertRefused(file(""), "header is not valid JSON (unexpected end of input at offset 0)");
    assertRefused(file("{} x"), "header is not valid JSON (unexpected text after the value at offset 3)");
  }

  @Test
  void refusesAHeaderThatIsNotAnObject() {
    assertRefused(file("[1, 2]"), "header is not a JSON object");
  }

  @Test
  void refusesDuplicateNames() {
    assertRefused(file("{" + entry("a", "[1]", 0, 4) + "," + entry("a", "[1]", 4, 8) + "}", 1f, 2f),
        "header is not valid JSON (duplicate member name \"a\" at offset");
  }

  @Test
  void refusesAnUnsupportedDtypeNamingIt() {
    assertRefused(file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 0f),
        "tensor 'h' has dtype F16; only F32 is supported");
    assertRefused(file("{\"h\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", 0f),
        "tensor 'h' has unknown dtype 'Q7'; only F32 is supported");
    assertRefused(file("{\"h\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 0f),
        "tensor 'h' has a dtype that is not a string");
  }

  @Test
  void refusesShapeEntriesThatAreNegativeOrNotIntegers() {
    assertRefused(file("{" + entry("s", "[2, -1]", 0, 8) + "}", 0f, 0f),
        "tensor 's' has shape [2,-1] with an entry that is not a non-negative integer");
    assertRefused(file("{" + entry("s", "[2.5]", 0, 8) + "}", 0f, 0f),
        "tensor 's' has shape [2.5] with an entry that is not a non-negative integer");
    assertRefused(file("{" + entry("s", "[\"2\"]", 0, 8) + "}", 0f, 0f),
        "tensor 's' has shape [\"2\"] with an entry that is not a non-negative integer");
    assertRefused(file("{" + entry("s", "2", 0, 8) + "}", 0f, 0f), "tensor 's' has a shape that is not an array");
  }

  @Test
  void refusesZeroDimensions() {
    assertRefused(file("{" + entry("z", "[0, 3]", 0, 0) + "}"),
        "tensor 'z' has shape [0,3] with a zero dimension; Tapegrad tensors cannot be empty");
  }

  @Test
  void refusesShapesWhoseElementCountOverflows() {
    assertRefused(file("{" + entry("big", "[65536, 65536, 65536]", 0, 4) + "}", 0f),
        "tensor 'big' has shape [65536,65536,65536] with more than 2147483647 elements");
    assertRefused(file("{" + entry("big", "[3000000000]", 0, 4) + "}", 0f),
        "tensor 'big' has shape [3000000000] with more than 2147483647 elements");
    assertRefused(file("{" + entry("big", "[4611686018427387904, 4]", 0, 4) + "}", 0f),
        "with more than 2147483647 elements");
  }

  @Test
  void refusesAnElementCountThatMismatchesTheByteRange() {
    assertRefused(file("{" + entry("m", "[2, 3]", 0, 20) + "}", 0f, 0f, 0f, 0f, 0f),
        "tensor 'm' has shape [2,3] (24 bytes of F32) but data_offsets [0, 20] span 20 bytes");
  }

  @Test
  void refusesDataOffsetsThatAreNotTwoIntegers() {
    String bad = "that are not two non-negative integers";
    assertRefused(file("{\"o\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 0f),
        "tensor 'o' has data_offsets [0] " + bad);
    assertRefused(file("{\"o\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 0f), bad);
    assertRefused(file("{\"o\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.0]}}", 0f), bad);
    assertRefused(file("{\"o\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,\"4\"]}}", 0f), bad);
    assertRefused(file("{\"o\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 0f), bad);
    assertRefused(file("{\"o\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":\"0-4\"}}", 0f), bad);
  }

  @Test
  void refusesDataOffsetsOutOfRange() {
    assertRefused(file("{" + entry("r", "[1]", 8, 4) + "}", 0f, 0f),
        "tensor 'r' has data_offsets [8, 4] that end before they begin");
    assertRefused(file("{" + entry("r", "[1]", 4, 8) + "}", 0f),
        "tensor 'r' has data_offsets [4, 8] past the end of the 4-byte data");
    assertRefused(file("{" + entry("r", "[1]", 1L << 62, (1L << 62) + 4) + "}", 0f), "past the end of the 4-byte data");
  }

  @Test
  void refusesOverlappingRanges() {
    assertRefused(file("{" + entry("a", "[2]", 0, 8) + "," + entry("b", "[2]", 4, 12) + "}", 0f, 0f, 0f),
        "tensors 'a' and 'b' overlap (data_offsets [0, 8] and [4, 12])");
    assertRefused(file("{" + entry("a", "[1]", 0, 4) + "," + entry("b", "[1]", 0, 4) + "}", 0f),
        "tensors 'a' and 'b' overlap");
  }

  @Test
  void refusesHoles() {
    assertRefused(file("{" + entry("a", "[1]", 0, 4) + "," + entry("b", "[1]", 8, 12) + "}", 0f, 0f, 0f),
        "data bytes 4 to 8 belong to no tensor (a hole before 'b')");
    assertRefused(file("{" + entry("a", "[1]", 4, 8) + "}", 0f, 0f),
        "data bytes 0 to 4 belong to no tensor (a hole before 'a')");
  }

  @Test
  void refusesDataNotCoveredExactly() {
    assertRefused(file("{" + entry("a", "[1]", 0, 4) + "}", 0f, 0f),
        "the tensors cover 4 data bytes but the file has 8 (trailing bytes after the last tensor)");
    assertRefused(file("{}", 0f), "the tensors cover 0 data bytes but the file has 4");
  }

  @Test
  void refusesMetadataThatIsNotAnObjectOfStrings() {
    assertRefused(file("{\"__metadata__\":[\"a\"]}"), "__metadata__ is not a JSON object");
    assertRefused(file("{\"__metadata__\":{\"hidden\":128}}"), "__metadata__ value for 'hidden' is not a string");
    assertRefused(file("{\"__metadata__\":{\"vocab\":[97,98]}}"), "__metadata__ value for 'vocab' is not a string");
    assertRefused(file("{\"__metadata__\":{\"x\":null}}"), "__metadata__ value for 'x' is not a string");
  }

  @Test
  void refusesMalformedTensorEntries() {
    assertRefused(file("{\"t\":[1,2]}"), "tensor 't' is not described by a JSON object");
    assertRefused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}", 0f), "tensor 't' has no data_offsets");
    assertRefused(file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":1}}", 0f),
        "tensor 't' has an unexpected key 'extra'");
  }

  @Test
  void quotesHostileNamesOnOneLine() {
    String name = "evil\nname\u2028'with\\quotes" + "x".repeat(100);
    String json = Json.write(Map.of(name, Map.of("dtype", "I8", "shape", List.of(1), "data_offsets", List.of(0, 1))));
    SafetensorsFormatException e = assertRefused(file(json), "has dtype I8");
    assertTrue(e.getMessage().contains("'evil\\u000aname\\u2028\\'with\\\\quotes" + "x".repeat(38) + "...'"),
        e.getMessage());
  }

  // --- fuzzing -------------------------------------------------------------------------------------

  @Test
  void randomBytesEitherLoadOrThrowTheDocumentedException() {
    SplittableRandom random = new SplittableRandom(20240611);
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      if (bytes.length >= 8 && random.nextBoolean()) {
        // A plausible header length, so that some cases reach the JSON parser.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, random.nextInt(bytes.length - 7));
      }
      loadOrRefuse(bytes, "random case " + i);
    }
  }

  @Test
  void mutatedValidFilesEitherLoadOrThrowTheDocumentedException() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("encoder.weight", Tensor.uniform(new SplittableRandom(3), -1, 1, 3, 3));
    tensors.put("rnn.bias_ih_l0", Tensor.of(new float[] {1, 2, 3}));
    tensors.put("decoder.bias", Tensor.scalar(-0f));
    byte[] valid = Safetensors.toBytes(tensors, Map.of("format", "tapegrad-charrnn/1", "vocab", "[97,98,99]"));
    int headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    byte[] jsonPunctuation = "{}[],:\"0123456789-.e ".getBytes(StandardCharsets.US_ASCII);
    SplittableRandom random = new SplittableRandom(42);
    int loaded = 0;
    for (int i = 0; i < 4000; i++) {
      byte[] bytes = valid.clone();
      switch (i % 5) {
        case 0 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        case 1 -> {
          for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            int at = random.nextInt(bytes.length);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 2 -> {
          long length = switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> headerEnd - 8 + random.nextInt(-16, 17);
            case 2 -> 100_000_000L + random.nextInt(-2, 3);
            default -> random.nextLong(bytes.length);
          };
          ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
        }
        case 3 -> {
          // Edits inside the header, where the validation logic lives.
          for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
            bytes[8 + random.nextInt(headerEnd - 8)] = jsonPunctuation[random.nextInt(jsonPunctuation.length)];
          }
        }
        default -> {
          int cut = 8 + random.nextInt(bytes.length - 8);
          byte[] longer = new byte[bytes.length + 1 + random.nextInt(8)];
          System.arraycopy(bytes, 0, longer, 0, cut);
          System.arraycopy(bytes, cut, longer, longer.length - (bytes.length - cut), bytes.length - cut);
          bytes = longer;
        }
      }
      if (loadOrRefuse(bytes, "mutation case " + i)) {
        loaded++;
      }
    }
    // Flips in the float data keep a file valid, so a share of the cases must load.
    assertTrue(loaded > 100, loaded + " mutated files loaded");
  }

  /** Returns true if the bytes loaded; fails unless they loaded or were refused as documented. */
  private static boolean loadOrRefuse(byte[] bytes, String what) {
    try {
      Safetensors.Contents read = Safetensors.read(bytes);
      long floats = read.tensors().values().stream().mapToLong(Tensor::size).sum();
      assertTrue(floats * 4 <= bytes.length, what + " allocated more floats than the bytes hold");
      return true;
    } catch (SafetensorsFormatException e) {
      assertTrue(e.getMessage().startsWith("<bytes>: "), what + ": " + e.getMessage());
      assertFalse(e.getMessage().contains("\n"), what + " message has a line break: " + e.getMessage());
      assertFalse(e.getMessage().startsWith("<bytes>: malformed file"),
          what + " hit a missed check: " + e.getMessage());
      return false;
    } catch (Throwable t) {
      fail(what + " threw " + t, t);
      return false;
    }
  }

  // --- helpers -------------------------------------------------------------------------------------

  private static SafetensorsFormatException assertRefused(byte[] bytes, String expectedFragment) {
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(bytes));
    assertTrue(e.getMessage().startsWith("<bytes>: "), e.getMessage());
    assertTrue(e.getMessage().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e;
  }

  private static String entry(String name, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
  }

  /** A file with the given header text (padded with spaces to 8) followed by the given floats. */
  private static byte[] file(String header, float... data) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded).put(json);
    while (out.position() < 8 + padded) {
      out.put((byte) ' ');
    }
    for (float f : data) {
      out.putFloat(f);
    }
    return out.array();
  }

  private static byte[] withLength(long headerLength, byte[] rest) {
    return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).put(rest).array();
  }

  private static int[] rawBits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Float.floatToRawIntBits(values[i]);
    }
    return bits;
  }
}
