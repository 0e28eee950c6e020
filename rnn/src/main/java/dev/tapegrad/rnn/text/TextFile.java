package dev.tapegrad.rnn.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads a training or evaluation text: a UTF-8 file, checked so that a wrong path or a wrong file
 * gives one clear line instead of a stack trace or a model trained on noise.
 *
 * <p>Every refusal is an {@link InputException} naming the file: a missing file, a directory, a file
 * that cannot be read, an empty file, a file too long to hold, a binary file (one with a NUL byte,
 * or with more than {@value #MAX_CONTROL_SHARE_PERCENT}% control characters besides tab, line feed,
 * form feed and carriage return), and a file that is not valid UTF-8 (with the byte offset of the
 * first bad sequence). Other file-system failures are {@link UncheckedIOException}s.
 *
 * <p>A leading byte order mark is dropped. Note: the text is otherwise returned as it is; in
 * particular Windows line ends stay {@code \r\n}, so the model sees {@code \r} as a character.
 *
 * <p>{@link #read} returns the text as a {@code String}. The {@code encode} methods never hold the
 * whole text as characters: they decode the file in small pieces twice, once to check it and find
 * its vocabulary and length, then to fill an {@link EncodedText} of two bytes per character. A
 * 500 MB text thus needs about 1 GB of heap, against 3 GB or more for bytes, string and ids at once.
 *
 * <pre>{@code
 * EncodedText corpus = TextFile.encode(Path.of("tinyshakespeare.txt"), true);   // lower-cased
 * CharVocabulary vocab = corpus.vocabulary();
 * EncodedText heldOut = TextFile.encode(Path.of("held-out.txt"), vocab);
 * }</pre>
 */
public final class TextFile {

  /** The largest file {@link #read} takes: the longest text a Java {@code String} holds in every case. */
  public static final int MAX_BYTES = Integer.MAX_VALUE / 2;

  /** The most characters (code points) the {@code encode} methods take: the longest Java array. */
  public static final int MAX_CHARACTERS = Integer.MAX_VALUE - 8;

  /** A text with a larger percentage of control characters is taken for a binary file. */
  public static final int MAX_CONTROL_SHARE_PERCENT = 10;

  private static final char BYTE_ORDER_MARK = '\uFEFF';
  private static final int BYTE_CHUNK = 1 << 16;
  private static final int CHAR_CHUNK = 1 << 16;
  private static final String EXPECTED = "expected a UTF-8 text file";

  private TextFile() {}

  /**
   * Reads a whole UTF-8 text file.
   *
   * @param path the file
   * @return its text, without a leading byte order mark
   * @throws InputException if the file is missing, a directory, unreadable, empty, larger than
   *     {@value #MAX_BYTES} bytes, binary or not valid UTF-8
   * @throws UncheckedIOException if reading fails for another reason
   */
  public static String read(Path path) {
    long size = requireFile(path);
    if (size > MAX_BYTES) {
      throw new InputException(path + " is " + size + " bytes; text files above " + MAX_BYTES
          + " bytes are not supported");
    }
    StringBuilder text = new StringBuilder((int) size);
    decode(path, false, text::append);
    return text.toString();
  }

  /**
   * Reads a UTF-8 text file as ids of the vocabulary of its own characters, without holding the
   * text as a {@code String}.
   *
   * @param path the file
   * @param lowercase whether to lower-case the text first (and every text encoded later with the
   *     vocabulary), as {@link CharVocabulary#fromText} does
   * @return the encoded text; {@link EncodedText#vocabulary()} is its vocabulary
   * @throws InputException for the refusals {@link #read} makes, and for a text of more than
   *     {@value #MAX_CHARACTERS} characters
   * @throws UncheckedIOException if reading fails for another reason
   */
  public static EncodedText encode(Path path, boolean lowercase) {
    requireFile(path);
    BitSet seen = new BitSet();
    long[] count = {0};
    decode(path, lowercase, piece -> {
      for (int i = 0; i < piece.length(); ) {
        int cp = Character.codePointAt(piece, i);
        seen.set(cp);
        count[0]++;
        i += Character.charCount(cp);
      }
    });
    CharVocabulary vocab = new CharVocabulary(seen.stream().toArray(), lowercase);
    return fill(path, vocab, requireLength(path, count[0]));
  }

  /**
   * Reads a UTF-8 text file as ids of a given vocabulary (lower-casing it first if the vocabulary
   * lower-cases), without holding the text as a {@code String}.
   *
   * @param path the file
   * @param vocabulary the vocabulary, for example a trained model's
   * @return the encoded text
   * @throws InputException for the refusals {@link #encode(Path, boolean)} makes
   * @throws IllegalArgumentException listing the characters missing from the vocabulary, as
   *     {@link CharVocabulary#encode} does
   * @throws UncheckedIOException if reading fails for another reason
   */
  public static EncodedText encode(Path path, CharVocabulary vocabulary) {
    requireFile(path);
    IdTable ids = new IdTable(vocabulary);
    Set<Integer> missing = new LinkedHashSet<>();
    long[] count = {0};
    decode(path, vocabulary.lowercase(), piece -> {
      for (int i = 0; i < piece.length(); ) {
        int cp = Character.codePointAt(piece, i);
        if (ids.id(cp) < 0) {
          missing.add(cp);
        }
        count[0]++;
        i += Character.charCount(cp);
      }
    });
    if (!missing.isEmpty()) {
      throw vocabulary.missingCharacters(missing);
    }
    return fill(path, vocabulary, requireLength(path, count[0]));
  }

  /**
   * A text read with the characters a vocabulary lacks left out.
   *
   * @param text the text without them: their neighbours become adjacent
   * @param skipped how many characters were left out
   * @param unknown which, as one line: how many distinct ones and the first few, for example
   *     {@code 3 characters are not in the model's vocabulary: 'Q', 'u', 'i'}; empty if none
   */
  public record Known(EncodedText text, long skipped, String unknown) {}

  /**
   * Reads a UTF-8 text file as ids of a given vocabulary, as {@link #encode(Path, CharVocabulary)}
   * does, but leaves out the characters the vocabulary lacks instead of refusing the text, and
   * counts them.
   *
   * @param path the file
   * @param vocabulary the vocabulary, for example a trained model's
   * @return the encoded text without the unknown characters, and how many there were
   * @throws InputException for the refusals {@link #encode(Path, boolean)} makes, and for a text
   *     none of whose characters is in the vocabulary
   * @throws UncheckedIOException if reading fails for another reason
   */
  public static Known encodeKnown(Path path, CharVocabulary vocabulary) {
    requireFile(path);
    IdTable ids = new IdTable(vocabulary);
    Set<Integer> missing = new LinkedHashSet<>();
    long[] count = {0, 0};
    decode(path, vocabulary.lowercase(), piece -> {
      for (int i = 0; i < piece.length(); ) {
        int cp = Character.codePointAt(piece, i);
        if (ids.id(cp) < 0) {
          missing.add(cp);
          count[1]++;
        } else {
          count[0]++;
        }
        i += Character.charCount(cp);
      }
    });
    if (count[0] == 0) {
      throw new InputException("no character of " + path + " is in the model's vocabulary");
    }
    String unknown = missing.isEmpty() ? "" : CharVocabulary.missingMessage(missing);
    return new Known(fill(path, vocabulary, requireLength(path, count[0]), true), count[1], unknown);
  }

  /** The second pass: decodes the already checked file again, straight into ids. */
  private static EncodedText fill(Path path, CharVocabulary vocab, int length) {
    return fill(path, vocab, length, false);
  }

  /** The second pass, leaving out the characters without an id if {@code skipUnknown}. */
  private static EncodedText fill(Path path, CharVocabulary vocab, int length, boolean skipUnknown) {
    IdTable table = new IdTable(vocab);
    boolean compact = vocab.size() <= EncodedText.MAX_SHORT_VOCABULARY;
    short[] shortIds = compact ? new short[length] : null;
    int[] intIds = compact ? null : new int[length];
    int[] at = {0};
    String changed = path + " changed while it was being read; read it again once nothing writes to it";
    decode(path, vocab.lowercase(), piece -> {
      for (int i = 0; i < piece.length(); ) {
        int cp = Character.codePointAt(piece, i);
        int id = table.id(cp);
        if (id < 0 && skipUnknown) {
          i += Character.charCount(cp);
          continue;
        }
        if (id < 0 || at[0] == length) {
          throw new InputException(changed);
        }
        if (compact) {
          // Ids up to 65534 are stored as unsigned 16-bit values.
          shortIds[at[0]++] = (short) id;
        } else {
          intIds[at[0]++] = id;
        }
        i += Character.charCount(cp);
      }
    });
    if (at[0] != length) {
      throw new InputException(changed);
    }
    return EncodedText.wrap(vocab, shortIds, intIds);
  }

  private static int requireLength(Path path, long count) {
    if (count > MAX_CHARACTERS) {
      throw new InputException(String.format(Locale.ROOT, "%s has %,d characters; texts of more than %,d are not "
          + "supported", path, count, MAX_CHARACTERS));
    }
    return (int) count;
  }

  /**
   * A text's identity: its size and the CRC32C of its bytes, as {@code 1234 bytes, CRC32C 89abcdef}.
   * Two files with the same fingerprint hold the same text, wherever they are.
   *
   * @param path the file
   * @return its fingerprint
   * @throws InputException if it is missing, a directory or not a regular file
   * @throws UncheckedIOException if it cannot be read
   */
  public static String fingerprint(Path path) {
    requireFile(path);
    CRC32C crc = new CRC32C();
    long bytes = 0;
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer)) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
        bytes += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return String.format(Locale.ROOT, "%d bytes, CRC32C %08x", bytes, crc.getValue());
  }

  /**
   * Copies a stream (standard input, for the file name {@code -}) into a temporary file that is
   * deleted when Java exits, so that it can be read in two passes as a file is.
   *
   * @param in the stream, read to its end
   * @return the temporary file
   * @throws InputException if the stream holds nothing
   * @throws UncheckedIOException if it cannot be copied
   */
  public static Path spool(InputStream in) {
    try {
      Path file = Files.createTempFile("tapegrad-stdin-", ".txt");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (Files.size(file) == 0) {
        throw new InputException("standard input (-) is empty; pipe a non-empty text into it");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
    }
  }

  /** Refuses a directory, a missing file and what is not a regular file (a pipe would hang); returns the size. */
  private static long requireFile(Path path) {
    if (Files.isDirectory(path)) {
      throw new InputException(path + " is a directory; " + EXPECTED);
    }
    if (!Files.exists(path)) {
      throw new InputException("text file not found: " + path);
    }
    if (!Files.isRegularFile(path)) {
      throw new InputException(path + " is not a regular file (a pipe or a device cannot be read twice); save it to a "
          + "file, or pipe it into standard input and give - as the file");
    }
    try {
      return Files.size(path);
    } catch (NoSuchFileException e) {
      throw new InputException("text file not found: " + path, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /** Receives the text in order, in pieces that never split a surrogate pair. */
  @FunctionalInterface
  private interface Sink {
    void accept(String piece);
  }

  /**
   * Decodes the file piece by piece into {@code sink}, checks it as the class documents, and
   * throws the first refusal in this order: empty, NUL byte, invalid UTF-8, empty after the byte
   * order mark, too many control characters. The sink may have seen part of a refused text.
   */
  private static void decode(Path path, boolean lowercase, Sink sink) {
    Decoding decoding = new Decoding(path.toString(), lowercase, sink);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (channel.size() == 0) {
        throw new InputException(path + " is empty; expected a non-empty text file");
      }
      decoding.run(channel);
    } catch (NoSuchFileException e) {
      throw new InputException("text file not found: " + path, e);
    } catch (AccessDeniedException e) {
      throw new InputException("cannot read " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    decoding.finish();
  }

  /** One pass over a file: the decoder, the checks' counters, and the pieces not yet passed on. */
  private static final class Decoding {

    /**
     * The longest piece lower-cased at once. Pieces end after a whitespace character, where
     * lower-casing a piece gives what lower-casing the whole text would; only a window of this many
     * characters without any whitespace is cut elsewhere. Note: at such a cut, and only there, a
     * Greek capital sigma, the one letter whose lower case depends on its neighbours in the root
     * locale, may come out as σ where the whole text would give ς. Short pieces also keep
     * {@link String#toLowerCase} fast: it grows its result one character at a time for letters
     * such as İ whose lower case is longer, which is quadratic in the length of the string.
     */
    private static final int LOWERCASE_PIECE = 1 << 13;

    private final String name;
    private final boolean lowercase;
    private final Sink sink;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final StringBuilder pending = new StringBuilder();
    private boolean started;
    private long units;
    private long controls;
    private String malformed;

    Decoding(String name, boolean lowercase, Sink sink) {
      this.name = name;
      this.lowercase = lowercase;
      this.sink = sink;
    }

    void run(FileChannel channel) throws IOException {
      ByteBuffer in = ByteBuffer.allocate(BYTE_CHUNK);
      CharBuffer out = CharBuffer.allocate(CHAR_CHUNK);
      // the file offset of in's first byte
      long base = 0;
      boolean end = false;
      while (!end) {
        int start = in.position();
        end = channel.read(in) < 0;
        for (int i = start; i < in.position(); i++) {
          if (in.get(i) == 0) {
            throw new InputException(name + " looks like a binary file (NUL byte at offset " + (base + i) + "); "
                + EXPECTED);
          }
        }
        in.flip();
        if (malformed == null) {
          CoderResult result = decoder.decode(in, out, end);
          while (result.isOverflow()) {
            emit(out);
            result = decoder.decode(in, out, end);
          }
          if (result.isError()) {
            malformed(in, base, result.length());
          } else if (end) {
            while (decoder.flush(out).isOverflow()) {
              emit(out);
            }
          }
          emit(out);
        } else {
          // Past a bad sequence only NUL bytes still matter: they make the file binary.
          in.position(in.limit());
        }
        base += in.position();
        in.compact();
      }
    }

    /** Remembers the first bad sequence: its offset and bytes. */
    private void malformed(ByteBuffer in, long base, int length) {
      int at = in.position();
      StringBuilder shown = new StringBuilder();
      for (int i = at; i < Math.min(in.limit(), at + length); i++) {
        shown.append(shown.length() == 0 ? "" : " ").append(String.format("0x%02X", in.get(i) & 0xFF));
      }
      malformed = name + " is not valid UTF-8: bad byte sequence " + shown + " at byte offset " + (base + at) + "; "
          + EXPECTED;
    }

    /** Counts and passes on the decoded characters in {@code out}, then empties it. */
    private void emit(CharBuffer out) {
      out.flip();
      if (!started && out.hasRemaining()) {
        started = true;
        if (out.get(out.position()) == BYTE_ORDER_MARK) {
          out.get();
        }
      }
      for (int i = out.position(); i < out.limit(); i++) {
        if (isBinaryControl(out.get(i))) {
          controls++;
        }
      }
      units += out.remaining();
      pending.append(out);
      out.clear();
      passOn(false);
    }

    /**
     * Passes on the pending characters, keeping back a trailing high surrogate (its pair comes
     * with the next characters) and, when lower-casing, what follows the last whitespace of the
     * last full window. With {@code all}, passes on everything.
     */
    private void passOn(boolean all) {
      int from = 0;
      int length = pending.length();
      if (!lowercase) {
        from = length;
        if (!all && from > 0 && Character.isHighSurrogate(pending.charAt(from - 1))) {
          from--;
        }
        if (from > 0) {
          sink.accept(pending.substring(0, from));
        }
      } else {
        while (length - from >= LOWERCASE_PIECE || (all && from < length)) {
          int end = Math.min(length, from + LOWERCASE_PIECE);
          int cut = end;
          if (end < length || !all) {
            int space = end - 1;
            while (space >= from && !Character.isWhitespace(pending.charAt(space))) {
              space--;
            }
            cut = space >= from ? space + 1 : end;
            if (Character.isHighSurrogate(pending.charAt(cut - 1))) {
              cut--;
            }
          }
          sink.accept(pending.substring(from, cut).toLowerCase(Locale.ROOT));
          from = cut;
        }
      }
      pending.delete(0, from);
    }

    /** Passes on the rest and throws the refusal the checks found, if any. */
    void finish() {
      if (malformed != null) {
        throw new InputException(malformed);
      }
      passOn(true);
      if (units == 0) {
        throw new InputException(name + " is empty; expected a non-empty text file");
      }
      if (controls * 100 > units * MAX_CONTROL_SHARE_PERCENT) {
        throw new InputException(String.format(Locale.ROOT,
            "%s looks like a binary file (%d of its %d characters are control characters); %s",
            name, controls, units, EXPECTED));
      }
    }
  }

  /** Maps code points to ids: a table for the Basic Multilingual Plane, a search beyond it. */
  private static final class IdTable {
    private final CharVocabulary vocab;
    private final int[] bmp = new int[Character.MAX_VALUE + 1];

    IdTable(CharVocabulary vocab) {
      this.vocab = vocab;
      for (int c = 0; c <= Character.MAX_VALUE; c++) {
        bmp[c] = vocab.idOrNegative(c);
      }
    }

    /** Returns the id of {@code cp}, or a negative number if it has none. */
    int id(int cp) {
      return cp <= Character.MAX_VALUE ? bmp[cp] : vocab.idOrNegative(cp);
    }
  }

  /** Control characters other than tab, line feed, form feed and carriage return. */
  private static boolean isBinaryControl(int c) {
    return Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\f' && c != '\r';
  }
}
