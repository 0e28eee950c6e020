package dev.tapegrad.rnn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a training or evaluation text: a UTF-8 file, checked so that a wrong path or a wrong file
 * gives one clear line instead of a stack trace or a model trained on noise.
 *
 * <p>Every refusal is an {@link InputException} naming the file: a missing file, a directory, a file
 * that cannot be read, an empty file, a file above {@value #MAX_BYTES} bytes, a binary file (one
 * with a NUL byte, or with more than {@value #MAX_CONTROL_SHARE_PERCENT}% control characters
 * besides tab, line feed, form feed and carriage return), and a file that is not valid UTF-8 (with
 * the byte offset of the first bad sequence). Other file-system failures are
 * {@link UncheckedIOException}s.
 *
 * <p>A leading byte order mark is dropped. Note: the text is otherwise returned as it is; in
 * particular Windows line ends stay {@code \r\n}, so the model sees {@code \r} as a character.
 *
 * <pre>{@code
 * String text = TextFile.read(Path.of("tinyshakespeare.txt"));
 * CharVocabulary vocab = CharVocabulary.fromText(text, true);
 * }</pre>
 */
public final class TextFile {

  /** The largest file read: the longest text a Java {@code String} holds in every case. */
  public static final int MAX_BYTES = Integer.MAX_VALUE / 2;

  /** A text with a larger percentage of control characters is taken for a binary file. */
  public static final int MAX_CONTROL_SHARE_PERCENT = 10;

  private static final char BYTE_ORDER_MARK = '\uFEFF';
  private static final int DECODE_CHUNK_CHARS = 8192;
  private static final String EXPECTED = "expected a UTF-8 text file";

  private TextFile() {}

  /**
   * Reads a whole UTF-8 text file.
   *
   * @param path the file
   * @return its text, without a leading byte order mark
   * @throws InputException if the file is missing, a directory, unreadable, empty, too large,
   *     binary or not valid UTF-8
   * @throws UncheckedIOException if reading fails for another reason
   */
  public static String read(Path path) {
    if (Files.isDirectory(path)) {
      throw new InputException(path + " is a directory; " + EXPECTED);
    }
    if (!Files.exists(path)) {
      throw new InputException("text file not found: " + path);
    }
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new InputException(path + " is " + size + " bytes; text files above " + MAX_BYTES
            + " bytes are not supported");
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new InputException("text file not found: " + path, e);
    } catch (AccessDeniedException e) {
      throw new InputException("cannot read " + path + ": permission denied", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return decode(path.toString(), bytes);
  }

  /** Checks and decodes the bytes of the file named {@code name}. */
  static String decode(String name, byte[] bytes) {
    if (bytes.length == 0) {
      throw new InputException(name + " is empty; expected a non-empty text file");
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new InputException(name + " looks like a binary file (NUL byte at offset " + i + "); " + EXPECTED);
      }
    }
    requireUtf8(name, bytes);
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.charAt(0) == BYTE_ORDER_MARK) {
      text = text.substring(1);
    }
    if (text.isEmpty()) {
      throw new InputException(name + " is empty; expected a non-empty text file");
    }
    long controls = text.chars().filter(TextFile::isBinaryControl).count();
    if (controls * 100 > (long) text.length() * MAX_CONTROL_SHARE_PERCENT) {
      throw new InputException(String.format(Locale.ROOT,
          "%s looks like a binary file (%d of its %d characters are control characters); %s",
          name, controls, text.length(), EXPECTED));
    }
    return text;
  }

  /** Decodes in small chunks only to find the first malformed sequence and its offset. */
  private static void requireUtf8(String name, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(DECODE_CHUNK_CHARS);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isOverflow()) {
        out.clear();
        continue;
      }
      if (result.isUnderflow()) {
        while (decoder.flush(out).isOverflow()) {
          out.clear();
        }
        return;
      }
      int offset = in.position();
      StringBuilder shown = new StringBuilder();
      for (int i = offset; i < Math.min(bytes.length, offset + result.length()); i++) {
        shown.append(shown.length() == 0 ? "" : " ").append(String.format("0x%02X", bytes[i] & 0xFF));
      }
      throw new InputException(name + " is not valid UTF-8: bad byte sequence " + shown + " at byte offset "
          + offset + "; " + EXPECTED);
    }
  }

  /** Control characters other than tab, line feed, form feed and carriage return. */
  private static boolean isBinaryControl(int c) {
    return Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\f' && c != '\r';
  }
}
