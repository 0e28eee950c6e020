package dev.tapegrad.io;

import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, the weight format PyTorch and Hugging Face load without running any code.
 *
 * <h2>Format</h2>
 *
 * <pre>
 * [ N: u64 little-endian ][ header: N bytes of UTF-8 JSON ][ data: the tensors' bytes ]
 * header = {"__metadata__": {"format": "tapegrad-charrnn/1", ...},
 *           "encoder.weight": {"dtype": "F32", "shape": [65, 65], "data_offsets": [0, 16900]},
 *           ...}
 * </pre>
 *
 * <p>Offsets count from the first data byte and {@code end} is exclusive. Values are row-major
 * little-endian {@code float32}. The writer lists the tensors in the map's order, lays their bytes
 * out contiguously in that order, puts {@code __metadata__} first (only when it is not empty), and
 * pads the header with spaces so that the data starts at a multiple of 8, as the reference
 * implementation does.
 *
 * <pre>{@code
 * Map<String, Tensor> tensors = new LinkedHashMap<>();
 * tensors.put("decoder.weight", weight);
 * Safetensors.write(Path.of("model.safetensors"), tensors, Map.of("format", "tapegrad-charrnn/1"));
 * Safetensors.Contents loaded = Safetensors.read(Path.of("model.safetensors"));
 * Tensor w = loaded.tensors().get("decoder.weight");
 * }</pre>
 *
 * <h2>What the reader refuses</h2>
 *
 * Every refusal is a {@link SafetensorsFormatException} with a one-line message naming the file and
 * the problem. The reader refuses:
 *
 * <ul>
 *   <li>a file shorter than the 8-byte header length;
 *   <li>a header length above {@value #MAX_HEADER_BYTES} bytes, or larger than the rest of the
 *       file;
 *   <li>a header above 1 MB that the free heap could not parse: a hostile header of tiny JSON
 *       objects costs up to about 35 bytes of heap per byte, so the reader wants 64 bytes of free
 *       heap per header byte (real headers take about 100 bytes per tensor, so this concerns only
 *       files with over ten thousand tensors);
 *   <li>a header that is not valid UTF-8, not valid JSON (duplicate names included), or not a JSON
 *       object;
 *   <li>{@code __metadata__} that is not an object of string values;
 *   <li>a tensor entry that is not an object with exactly {@code dtype}, {@code shape} and
 *       {@code data_offsets};
 *   <li>a dtype other than {@code F32} (named in the message, as unsupported or as unknown);
 *   <li>a shape entry that is not a non-negative integer, a shape with a zero dimension (Tapegrad
 *       tensors are never empty), or one with more than 2<sup>31</sup>−1 elements;
 *   <li>data offsets that are not two non-negative integers, that end before they begin, that
 *       reach past the data, or whose span differs from the element count times 4;
 *   <li>tensors whose byte ranges overlap, leave a hole, or do not cover the data exactly.
 * </ul>
 *
 * <p>Everything is checked before any tensor storage is allocated, and the storage allocated
 * equals the data bytes present in the file. Failures of the file system itself are
 * {@link UncheckedIOException}s.
 *
 * <p>Note: unlike the reference reader, this one also refuses unknown keys in a tensor entry and
 * tensors with a zero dimension, which the reference accepts.
 */
public final class Safetensors {

  /** The largest header accepted, in bytes; the reference implementation's limit. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The header key holding the string-to-string metadata. */
  public static final String METADATA_KEY = "__metadata__";

  /** The only dtype read and written. */
  public static final String F32 = "F32";

  private static final int LENGTH_BYTES = Long.BYTES;
  private static final int DATA_ALIGNMENT = 8;
  private static final int CHUNK_BYTES = 1 << 20;
  private static final String BYTES_SOURCE = "<bytes>";

  /** Headers up to this size are parsed without consulting the heap. */
  private static final long SMALL_HEADER_BYTES = 1L << 20;

  /**
   * A bound on the heap a header costs per byte: its bytes, its text and its JSON tree. Measured
   * worst cases (tiny one-member objects such as {@code {"":0}}) retain about 35 bytes per byte.
   */
  private static final long HEAP_BYTES_PER_HEADER_BYTE = 64;

  private static final int NAME_LIMIT = 60;

  private static final Set<String> KNOWN_DTYPES = Set.of(
      "BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64", "F16", "BF16", "F32", "F64",
      "C64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4");

  private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

  private Safetensors() {}

  /**
   * What a safetensors file holds.
   *
   * <p>Both maps are read-only and keep the header's order. The tensors are fresh and belong to
   * the caller (their values stay mutable, like any {@link Tensor}'s).
   *
   * @param tensors the tensors by name, in header order
   * @param metadata the {@code __metadata__} entries, empty when the file has none
   */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /**
     * Copies both maps into read-only, order-preserving maps.
     *
     * @param tensors the tensors by name, in header order
     * @param metadata the {@code __metadata__} entries
     */
    public Contents {
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /**
   * Writes tensors and metadata to {@code file} atomically: the bytes go to a temporary file in
   * the same directory, which is forced to disk and then moved over {@code file}. A crash or an
   * error leaves either the old file or the new one, never a mix.
   *
   * <pre>{@code
   * Map<String, Tensor> tensors = new LinkedHashMap<>();
   * tensors.put("decoder.bias", Tensor.zeros(65));
   * Safetensors.write(Path.of("model.safetensors"), tensors, Map.of("format", "tapegrad-charrnn/1"));
   * }</pre>
   *
   * @param file the file to create or replace
   * @param tensors the tensors by name; the file lists them in the map's iteration order
   * @param metadata string entries for {@code __metadata__}; may be empty
   * @throws IllegalArgumentException if a name is {@value #METADATA_KEY}, or anything is null
   * @throws UncheckedIOException if writing, forcing or moving fails; the temporary file is removed
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    Objects.requireNonNull(file, "file");
    byte[] header = header(tensors, metadata);
    AtomicFile.write(file, channel -> writeTo(channel, header, tensors));
  }


  /**
   * Returns the bytes of a safetensors file holding {@code tensors} and {@code metadata}, exactly
   * as {@link #write} would write them. Meant for tests and small payloads.
   *
   * @param tensors the tensors by name, in the order to store them
   * @param metadata string entries for {@code __metadata__}; may be empty
   * @return the file's bytes
   * @throws IllegalArgumentException as {@link #write} does, or if the result would exceed 2 GB
   */
  public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
    byte[] header = header(tensors, metadata);
    long total = LENGTH_BYTES + (long) header.length;
    for (Tensor t : tensors.values()) {
      total += (long) t.size() * Float.BYTES;
    }
    if (total > Integer.MAX_VALUE - DATA_ALIGNMENT) {
      throw new IllegalArgumentException("a safetensors file of " + total + " bytes does not fit in a byte[]");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) total);
    try {
      writeTo(Channels.newChannel(out), header, tensors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Validates the arguments and builds the header, padded to a multiple of 8 bytes. */
  private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        if (e.getKey() == null || e.getValue() == null) {
          throw new IllegalArgumentException("metadata keys and values must not be null");
        }
      }
      header.put(METADATA_KEY, metadata);
    }
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      String name = e.getKey();
      if (name == null || e.getValue() == null) {
        throw new IllegalArgumentException("tensor names and tensors must not be null");
      }
      if (name.equals(METADATA_KEY)) {
        throw new IllegalArgumentException("a tensor cannot be named " + METADATA_KEY);
      }
      long end = offset + (long) e.getValue().size() * Float.BYTES;
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", F32);
      entry.put("shape", e.getValue().shape().dims());
      entry.put("data_offsets", new long[] {offset, end});
      header.put(name, entry);
      offset = end;
    }
    byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
    int padded = (int) roundUp(json.length, DATA_ALIGNMENT);
    if (padded > MAX_HEADER_BYTES) {
      throw new IllegalArgumentException(
          "the header would take " + padded + " bytes, above the " + MAX_HEADER_BYTES + "-byte limit readers enforce");
    }
    byte[] bytes = new byte[padded];
    System.arraycopy(json, 0, bytes, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      bytes[i] = ' ';
    }
    return bytes;
  }

  private static void writeTo(WritableByteChannel channel, byte[] header, Map<String, Tensor> tensors)
      throws IOException {
    ByteBuffer length = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    length.putLong(header.length).flip();
    writeFully(channel, length);
    writeFully(channel, ByteBuffer.wrap(header));
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int floatsPerChunk = CHUNK_BYTES / Float.BYTES;
    for (Tensor t : tensors.values()) {
      float[] values = t.data();
      for (int from = 0; from < values.length; from += floatsPerChunk) {
        int count = Math.min(floatsPerChunk, values.length - from);
        chunk.clear();
        chunk.asFloatBuffer().put(values, from, count);
        chunk.limit(count * Float.BYTES);
        writeFully(channel, chunk);
      }
    }
  }

  private static void writeFully(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** Makes the rename durable where the platform allows forcing a directory (Linux, macOS). */
  // ---------------------------------------------------------------------------------------------
  // Reading

  /**
   * Reads a safetensors file, checking every size and offset before allocating tensor storage.
   *
   * <pre>{@code
   * Safetensors.Contents c = Safetensors.read(Path.of("model.safetensors"));
   * Tensor w = c.tensors().get("decoder.weight");
   * String cell = c.metadata().get("cell");
   * }</pre>
   *
   * @param file the file
   * @return its tensors and metadata, in header order
   * @throws SafetensorsFormatException if the bytes break the format (see the class comment)
   * @throws UncheckedIOException if the file cannot be opened or read
   */
  public static Contents read(Path file) {
    Objects.requireNonNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(new ChannelSource(file.toString(), channel));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads safetensors bytes held in memory. Messages name the source {@code <bytes>}.
   *
   * @param bytes the whole file's bytes
   * @return its tensors and metadata, in header order
   * @throws SafetensorsFormatException if the bytes break the format (see the class comment)
   */
  public static Contents read(byte[] bytes) {
    return read(ByteBuffer.wrap(Objects.requireNonNull(bytes, "bytes")));
  }

  /**
   * Reads safetensors bytes from a buffer's position to its limit, leaving the buffer's position,
   * limit and byte order unchanged. Messages name the source {@code <bytes>}.
   *
   * @param bytes the whole file's bytes, between position and limit
   * @return its tensors and metadata, in header order
   * @throws SafetensorsFormatException if the bytes break the format (see the class comment)
   */
  public static Contents read(ByteBuffer bytes) {
    Objects.requireNonNull(bytes, "bytes");
    try {
      return read(new BufferSource(bytes.slice()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One tensor's header entry, checked. */
  private record Entry(String name, int[] dims, int elements, long begin, long end) {}

  private static Contents read(Source source) throws IOException {
    try {
      return parse(source);
    } catch (BufferUnderflowException | IndexOutOfBoundsException | ArithmeticException e) {
      // Every size is checked before use, so this is a missed check; still report it as bad bytes.
      throw source.refuse("malformed file (" + e + ")");
    }
  }

  private static Contents parse(Source source) throws IOException {
    long fileSize = source.size();
    if (fileSize < LENGTH_BYTES) {
      throw source.refuse("file is " + fileSize + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(LENGTH_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    source.readFully(0, lengthBytes);
    long headerLength = lengthBytes.getLong(0);
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw source.refuse("header length " + Long.toUnsignedString(headerLength) + " is above the "
          + MAX_HEADER_BYTES + "-byte limit: not a safetensors file");
    }
    if (headerLength > fileSize - LENGTH_BYTES) {
      throw source.refuse("header length " + headerLength + " is larger than the " + (fileSize - LENGTH_BYTES)
          + " bytes that follow it");
    }
    requireHeapForHeader(source, headerLength);
    long dataStart = LENGTH_BYTES + headerLength;
    long dataLength = fileSize - dataStart;

    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    source.readFully(LENGTH_BYTES, headerBytes);
    Map<String, Object> header = parseHeader(source, decodeUtf8(source, headerBytes));

    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Object> member : header.entrySet()) {
      if (member.getKey().equals(METADATA_KEY)) {
        metadata = metadata(source, member.getValue());
      } else {
        entries.add(entry(source, member.getKey(), member.getValue(), dataLength));
      }
    }
    checkCoverage(source, entries, dataLength);

    Map<String, Tensor> tensors = new LinkedHashMap<>();
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(dataLength, Float.BYTES)))
        .order(ByteOrder.LITTLE_ENDIAN);
    int floatsPerChunk = chunk.capacity() / Float.BYTES;
    for (Entry e : entries) {
      float[] values = new float[e.elements()];
      for (int from = 0; from < values.length; from += floatsPerChunk) {
        int count = Math.min(floatsPerChunk, values.length - from);
        chunk.clear().limit(count * Float.BYTES);
        source.readFully(dataStart + e.begin() + (long) from * Float.BYTES, chunk);
        chunk.flip();
        chunk.asFloatBuffer().get(values, from, count);
      }
      tensors.put(e.name(), Tensor.wrap(values, Shape.of(e.dims())));
    }
    return new Contents(tensors, metadata);
  }

  /**
   * Refuses a large header that the heap could not parse: the bytes, their decoded text and the
   * JSON tree together cost up to {@link #HEAP_BYTES_PER_HEADER_BYTE} bytes per header byte.
   */
  private static void requireHeapForHeader(Source source, long headerLength) {
    if (headerLength <= SMALL_HEADER_BYTES) {
      return;
    }
    Runtime runtime = Runtime.getRuntime();
    long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    long needed = headerLength * HEAP_BYTES_PER_HEADER_BYTE;
    if (needed > available) {
      throw source.refuse("header of " + headerLength + " bytes may need " + needed / (1 << 20)
          + " MB of heap to parse, but only " + available / (1 << 20) + " MB are free");
    }
  }

  private static String decodeUtf8(Source source, ByteBuffer bytes) {
    bytes.flip();
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars = CharBuffer.allocate(bytes.remaining());
    CoderResult result = decoder.decode(bytes, chars, true);
    if (result.isUnderflow()) {
      result = decoder.flush(chars);
    }
    if (result.isError()) {
      throw source.refuse("header is not valid UTF-8 (bad byte sequence at header byte " + bytes.position() + ")");
    }
    return chars.flip().toString();
  }

  private static Map<String, Object> parseHeader(Source source, String text) {
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw source.refuse("header is not valid JSON (" + e.getMessage().replaceFirst("^JSON: ", "") + ")", e);
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw source.refuse("header is not a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> header = (Map<String, Object>) map;
    return header;
  }

  private static Map<String, String> metadata(Source source, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw source.refuse(METADATA_KEY + " is not a JSON object");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw source.refuse(METADATA_KEY + " value for " + quote((String) e.getKey()) + " is not a string");
      }
      metadata.put((String) e.getKey(), s);
    }
    return metadata;
  }

  private static Entry entry(Source source, String name, Object value, long dataLength) {
    String tensor = "tensor " + quote(name);
    if (!(value instanceof Map<?, ?> fields)) {
      throw source.refuse(tensor + " is not described by a JSON object");
    }
    for (Object key : fields.keySet()) {
      if (!ENTRY_KEYS.contains(key)) {
        throw source.refuse(tensor + " has an unexpected key " + quote((String) key));
      }
    }
    for (String key : List.of("dtype", "shape", "data_offsets")) {
      if (!fields.containsKey(key)) {
        throw source.refuse(tensor + " has no " + key);
      }
    }

    if (!(fields.get("dtype") instanceof String dtype)) {
      throw source.refuse(tensor + " has a dtype that is not a string");
    }
    if (!dtype.equals(F32)) {
      throw source.refuse(KNOWN_DTYPES.contains(dtype)
          ? tensor + " has dtype " + dtype + "; only F32 is supported"
          : tensor + " has unknown dtype " + quote(dtype) + "; only F32 is supported");
    }

    Object shapeValue = fields.get("shape");
    if (!(shapeValue instanceof List<?> shape)) {
      throw source.refuse(tensor + " has a shape that is not an array");
    }
    int[] dims = new int[shape.size()];
    long elements = 1;
    for (int i = 0; i < dims.length; i++) {
      if (!(shape.get(i) instanceof Long d) || d < 0) {
        throw source.refuse(tensor + " has shape " + excerpt(shapeValue)
            + " with an entry that is not a non-negative integer");
      }
      if (d == 0) {
        throw source.refuse(tensor + " has shape " + excerpt(shapeValue)
            + " with a zero dimension; Tapegrad tensors cannot be empty");
      }
      if (d > Integer.MAX_VALUE || elements > Integer.MAX_VALUE / d) {
        throw source.refuse(tensor + " has shape " + excerpt(shapeValue) + " with more than "
            + Integer.MAX_VALUE + " elements");
      }
      elements *= d;
      dims[i] = (int) (long) d;
    }

    Object offsetsValue = fields.get("data_offsets");
    if (!(offsetsValue instanceof List<?> offsets) || offsets.size() != 2
        || !(offsets.get(0) instanceof Long begin) || !(offsets.get(1) instanceof Long end)
        || begin < 0 || end < 0) {
      throw source.refuse(tensor + " has data_offsets " + excerpt(offsetsValue)
          + " that are not two non-negative integers");
    }
    if (end < begin) {
      throw source.refuse(tensor + " has data_offsets [" + begin + ", " + end + "] that end before they begin");
    }
    if (end > dataLength) {
      throw source.refuse(tensor + " has data_offsets [" + begin + ", " + end + "] past the end of the "
          + dataLength + "-byte data");
    }
    long needed = elements * Float.BYTES;
    if (end - begin != needed) {
      throw source.refuse(tensor + " has shape " + excerpt(shapeValue) + " (" + needed
          + " bytes of F32) but data_offsets ["
          + begin + ", " + end + "] span " + (end - begin) + " bytes");
    }
    return new Entry(name, dims, (int) elements, begin, end);
  }

  /** Checks that the byte ranges, sorted, tile the data section exactly. */
  private static void checkCoverage(Source source, List<Entry> entries, long dataLength) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(Entry::begin));
    long covered = 0;
    Entry previous = null;
    for (Entry e : sorted) {
      if (e.begin() < covered) {
        throw source.refuse("tensors " + quote(previous.name()) + " and " + quote(e.name())
            + " overlap (data_offsets [" + previous.begin() + ", " + previous.end() + "] and ["
            + e.begin() + ", " + e.end() + "])");
      }
      if (e.begin() > covered) {
        throw source.refuse("data bytes " + covered + " to " + e.begin() + " belong to no tensor (a hole before "
            + quote(e.name()) + ")");
      }
      covered = e.end();
      previous = e;
    }
    if (covered != dataLength) {
      throw source.refuse("the tensors cover " + covered + " data bytes but the file has " + dataLength
          + " (trailing bytes after the last tensor)");
    }
  }

  /** {@return a name from the file quoted on one line: escaped, and cut short if very long} */
  static String quote(String name) {
    StringBuilder out = new StringBuilder("'");
    int shown = 0;
    for (int i = 0; i < name.length(); ) {
      if (shown == NAME_LIMIT) {
        out.append("...");
        break;
      }
      int cp = name.codePointAt(i);
      if (cp == '\'' || cp == '\\') {
        out.append('\\').append((char) cp);
      } else if (Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
          || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR || Character.getType(cp) == Character.SURROGATE) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
      shown++;
    }
    return out.append('\'').toString();
  }

  /** {@return a JSON value from the file as short one-line text} */
  private static String excerpt(Object value) {
    String json = Json.write(value);
    return json.length() <= NAME_LIMIT ? json : json.substring(0, NAME_LIMIT) + "...";
  }

  private static long roundUp(long n, int multiple) {
    return (n + multiple - 1) / multiple * multiple;
  }

  /** Random access to the bytes being read, wherever they live. */
  private abstract static class Source {
    private final String name;

    Source(String name) {
      this.name = name;
    }

    abstract long size() throws IOException;

    /** Fills {@code target} from its position to its limit with the bytes at {@code position}. */
    abstract void readFully(long position, ByteBuffer target) throws IOException;

    SafetensorsFormatException refuse(String problem) {
      return new SafetensorsFormatException(name + ": " + problem);
    }

    SafetensorsFormatException refuse(String problem, Throwable cause) {
      return new SafetensorsFormatException(name + ": " + problem, cause);
    }
  }

  private static final class ChannelSource extends Source {
    private final FileChannel channel;

    ChannelSource(String name, FileChannel channel) {
      super(name);
      this.channel = channel;
    }

    @Override
    long size() throws IOException {
      return channel.size();
    }

    @Override
    void readFully(long position, ByteBuffer target) throws IOException {
      long at = position;
      while (target.hasRemaining()) {
        int n = channel.read(target, at);
        if (n < 0) {
          throw refuse("file ended at byte " + at + " while being read; was it truncated meanwhile?");
        }
        at += n;
      }
    }
  }

  private static final class BufferSource extends Source {
    private final ByteBuffer bytes;

    BufferSource(ByteBuffer bytes) {
      super(BYTES_SOURCE);
      this.bytes = bytes;
    }

    @Override
    long size() {
      return bytes.remaining();
    }

    @Override
    void readFully(long position, ByteBuffer target) {
      int count = target.remaining();
      target.put(bytes.slice((int) position, count));
    }
  }
}
