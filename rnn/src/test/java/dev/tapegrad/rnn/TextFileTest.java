package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileTest {

  @TempDir Path dir;

  @Test
  void readsUtf8TextWithCharactersBeyondTheBmp() throws IOException {
    Path file = write("input.txt", "héllo 𝄞 wörld 😀\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("héllo 𝄞 wörld 😀\n", TextFile.read(file));
  }

  @Test
  void dropsALeadingByteOrderMarkAndKeepsLineEnds() throws IOException {
    Path file = write("bom.txt", "\uFEFFline one\r\nline two\r\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("line one\r\nline two\r\n", TextFile.read(file));
  }

  @Test
  void acceptsAFewControlCharacters() throws IOException {
    String text = "plain text with an escape \u001b[1m here\tand a tab\f";
    assertEquals(text, TextFile.read(write("ansi.txt", text.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void refusesAMissingFile() {
    Path file = dir.resolve("absent.txt");
    assertRefused("text file not found: " + file, file);
  }

  @Test
  void refusesADirectory() {
    assertRefused(dir + " is a directory; expected a UTF-8 text file", dir);
  }

  @Test
  void refusesAnUnreadableFile() throws IOException {
    Path file = write("secret.txt", "text".getBytes(StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(file), "the file stays readable (tests run as root)");
    assertRefused("cannot read " + file + ": permission denied", file);
  }

  @Test
  void refusesAnEmptyFileAndAByteOrderMarkAlone() throws IOException {
    Path empty = write("empty.txt", new byte[0]);
    assertRefused(empty + " is empty; expected a non-empty text file", empty);
    Path bomOnly = write("bom.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    assertRefused(bomOnly + " is empty; expected a non-empty text file", bomOnly);
  }

  @Test
  void refusesInvalidUtf8NamingTheOffsetOfTheFirstBadSequence() throws IOException {
    Path latin1 = write("latin1.txt", "caf\u00e9 ok".getBytes(StandardCharsets.ISO_8859_1));
    assertRefused(latin1 + " is not valid UTF-8: bad byte sequence 0xE9 at byte offset 3; expected a UTF-8 text file",
        latin1);
    byte[] truncated = {'a', 'b', (byte) 0xE2, (byte) 0x82};
    Path cut = write("cut.txt", truncated);
    assertRefused(cut + " is not valid UTF-8: bad byte sequence 0xE2 0x82 at byte offset 2; expected a UTF-8 text file",
        cut);
    byte[] longText = ("x".repeat(20_000) + "\u00ff").getBytes(StandardCharsets.ISO_8859_1);
    Path late = write("late.txt", longText);
    assertRefused(late + " is not valid UTF-8: bad byte sequence 0xFF at byte offset 20000; expected a UTF-8 text file",
        late);
  }

  @Test
  void refusesAFileWithNulBytesAsBinary() throws IOException {
    Path utf16 = write("utf16.txt", "hi there".getBytes(StandardCharsets.UTF_16LE));
    assertRefused(utf16 + " looks like a binary file (NUL byte at offset 1); expected a UTF-8 text file", utf16);
  }

  @Test
  void refusesAFileOfMostlyControlCharactersAsBinary() throws IOException {
    byte[] bytes = new byte[100];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i % 3 == 0 ? 'a' : 1 + i % 8);
    }
    Path file = write("controls.bin", bytes);
    assertRefused(file + " looks like a binary file (66 of its 100 characters are control characters); "
        + "expected a UTF-8 text file", file);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static void assertRefused(String message, Path file) {
    InputException e = assertThrows(InputException.class, () -> TextFile.read(file));
    assertEquals(message, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }
}
