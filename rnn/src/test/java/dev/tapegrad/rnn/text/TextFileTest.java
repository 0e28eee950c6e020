package dev.tapegrad.rnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
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

  @Test
  void encodingAFileGivesTheIdsOfEncodingItsTextWithOrWithoutLowerCasing() throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    List<String> texts = new ArrayList<>();
    texts.add("héllo 𝄞 wörld 😀\n");
    texts.add("\uFEFFΟΔΟΣ ΟΔΟΣ\nΣΑΣ İstanbul STRASSE ß");
    // The file is decoded 64K characters at a time and lower-cased in pieces cut at whitespace;
    // these cross many cuts, with pairs of surrogates, the sigma whose lower case depends on the
    // next letter, and (rarely: the reference lower-casing is slow with many) the İ whose lower
    // case is two characters.
    texts.add(randomText(random, 150_000, "ab \nÉé😀ΣΟß\r\t") + "İ" + randomText(random, 70_000, "ab😀Σ\n"));
    texts.add("ΟΔΟΣ ".repeat(30_000));
    // Without any whitespace, a piece is cut after 8192 characters.
    texts.add(randomText(random, 300_000, "Ab😀"));
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      Path file = write("text" + i + ".txt", text.getBytes(StandardCharsets.UTF_8));
      String read = TextFile.read(file);
      for (boolean lowercase : new boolean[] {false, true}) {
        EncodedText expected = EncodedText.encode(CharVocabulary.fromText(read, lowercase), read);
        EncodedText actual = TextFile.encode(file, lowercase);
        assertEquals(expected.vocabulary(), actual.vocabulary(), "text " + i + ", lowercase " + lowercase);
        assertArrayEquals(expected.toArray(), actual.toArray(), "text " + i + ", lowercase " + lowercase);
        EncodedText again = TextFile.encode(file, actual.vocabulary());
        assertArrayEquals(expected.toArray(), again.toArray(), "text " + i + " with its own vocabulary");
      }
    }
  }

  @Test
  void encodingWithAVocabularyListsTheCharactersItLacks() throws IOException {
    Path file = write("other.txt", "the Quiet cat\n".getBytes(StandardCharsets.UTF_8));
    CharVocabulary vocab = CharVocabulary.fromText("the cat\n", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextFile.encode(file, vocab));
    assertEquals("3 characters are not in the model's vocabulary: 'Q', 'u', 'i'", e.getMessage());
    CharVocabulary lowercasing = CharVocabulary.fromText("the quiet cat\n", true);
    assertEquals("the quiet cat\n", lowercasing.decode(TextFile.encode(file, lowercasing).toArray()));
  }

  @Test
  void encodingRefusesEveryFileThatReadingRefusesWithTheSameLine() throws IOException {
    byte[] controls = new byte[100];
    for (int i = 0; i < controls.length; i++) {
      controls[i] = (byte) (i % 3 == 0 ? 'a' : 1 + i % 8);
    }
    List<Path> refused = List.of(dir.resolve("absent.txt"), dir, write("empty.txt", new byte[0]),
        write("bom.txt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}),
        write("latin1.txt", "caf\u00e9 ok".getBytes(StandardCharsets.ISO_8859_1)),
        write("utf16.txt", "hi there".getBytes(StandardCharsets.UTF_16LE)), write("controls.bin", controls));
    for (Path file : refused) {
      String message = assertThrows(InputException.class, () -> TextFile.read(file)).getMessage();
      assertEquals(message, assertThrows(InputException.class, () -> TextFile.encode(file, false)).getMessage());
      CharVocabulary vocab = CharVocabulary.fromText("abc", false);
      assertEquals(message, assertThrows(InputException.class, () -> TextFile.encode(file, vocab)).getMessage());
    }
  }

  @Test
  void aNulByteAfterABadSequenceStillMarksTheFileAsBinary() throws IOException {
    Path file = write("mixed.bin", new byte[] {'a', (byte) 0xFF, 'b', 0, 'c'});
    assertRefused(file + " looks like a binary file (NUL byte at offset 3); expected a UTF-8 text file", file);
  }

  @Test
  void sequencesAcrossReadChunksDecodeAndBadOnesAreFoundAtTheirOffset() throws IOException {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[65_535 + euro.length + 2];
    Arrays.fill(bytes, (byte) 'x');
    System.arraycopy(euro, 0, bytes, 65_535, euro.length);
    Path good = write("euro.txt", Arrays.copyOf(bytes, bytes.length - 1));
    assertEquals("x".repeat(65_535) + "€x", TextFile.read(good));
    bytes[bytes.length - 1] = (byte) 0xC3;
    Path bad = write("cut.txt", bytes);
    assertRefused(bad + " is not valid UTF-8: bad byte sequence 0xC3 at byte offset " + (bytes.length - 1)
        + "; expected a UTF-8 text file", bad);
  }

  private static String randomText(SplittableRandom random, int codePoints, String alphabet) {
    int[] symbols = alphabet.codePoints().toArray();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      text.appendCodePoint(symbols[random.nextInt(symbols.length)]);
    }
    return text.toString();
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
