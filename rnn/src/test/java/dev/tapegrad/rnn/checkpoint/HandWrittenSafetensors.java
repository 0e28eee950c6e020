package dev.tapegrad.rnn.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a safetensors file byte by byte, as ../shared/docs/SAFETENSORS.md lays it out, without
 * Tapegrad's writer: an 8-byte little-endian header length, a JSON header (with
 * {@code __metadata__}) padded with spaces to a multiple of 8, then the F32 little-endian data.
 */
final class HandWrittenSafetensors {

  private final Map<String, int[]> shapes = new LinkedHashMap<>();
  private final Map<String, float[]> values = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  /** Adds a tensor; {@code values} is row-major. */
  HandWrittenSafetensors tensor(String name, float[] data, int... shape) {
    if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != data.length) {
      throw new IllegalArgumentException(name + ": " + data.length + " values do not fill " + Arrays.toString(shape));
    }
    shapes.put(name, shape.clone());
    values.put(name, data.clone());
    return this;
  }

  /** Adds an all-zero tensor. */
  HandWrittenSafetensors zeros(String name, int... shape) {
    return tensor(name, new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)], shape);
  }

  /** Removes a tensor. */
  HandWrittenSafetensors without(String name) {
    shapes.remove(name);
    values.remove(name);
    return this;
  }

  /** Sets a metadata entry (a string, as the format requires). */
  HandWrittenSafetensors meta(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /**
   * Starts a one-layer GRU char model with all-zero weights and the metadata Tapegrad expects.
   *
   * @param vocab the vocabulary's code points; V is their count
   * @param hidden H
   */
  static HandWrittenSafetensors zeroCharModel(int[] vocab, int hidden) {
    int v = vocab.length;
    StringBuilder codePoints = new StringBuilder("[");
    for (int i = 0; i < v; i++) {
      codePoints.append(i == 0 ? "" : ",").append(vocab[i]);
    }
    return new HandWrittenSafetensors()
        .meta("format", "tapegrad-charrnn/1")
        .meta("cell", "gru")
        .meta("hidden", Integer.toString(hidden))
        .meta("layers", "1")
        .meta("lowercase", "false")
        .meta("vocab", codePoints.append("]").toString())
        .zeros("encoder.weight", v, v)
        .zeros("rnn.weight_ih_l0", 3 * hidden, v)
        .zeros("rnn.weight_hh_l0", 3 * hidden, hidden)
        .zeros("rnn.bias_ih_l0", 3 * hidden)
        .zeros("rnn.bias_hh_l0", 3 * hidden)
        .zeros("decoder.weight", v, hidden)
        .zeros("decoder.bias", v);
  }

  /** Returns the file's bytes. */
  byte[] bytes() {
    StringBuilder header = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      header.append("\"__metadata__\":{");
      boolean first = true;
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        header.append(first ? "" : ",").append(jsonString(e.getKey())).append(':').append(jsonString(e.getValue()));
        first = false;
      }
      header.append('}');
    }
    long offset = 0;
    for (Map.Entry<String, int[]> e : shapes.entrySet()) {
      long end = offset + 4L * values.get(e.getKey()).length;
      header.append(header.length() == 1 ? "" : ",").append(jsonString(e.getKey()))
          .append(":{\"dtype\":\"F32\",\"shape\":").append(Arrays.toString(e.getValue()).replace(" ", ""))
          .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    header.append('}');
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    for (float[] data : values.values()) {
      for (float f : data) {
        out.putFloat(f);
      }
    }
    return out.array();
  }

  /** Writes the file. */
  Path write(Path file) {
    try {
      return Files.write(file, bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jsonString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
