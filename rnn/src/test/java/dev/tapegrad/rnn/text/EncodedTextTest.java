package dev.tapegrad.rnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EncodedTextTest {

  @Test
  void encodesOneIdPerCodePoint() {
    String text = "Héllo 𝄞 wörld 😀";
    CharVocabulary vocab = CharVocabulary.fromText(text, true);
    EncodedText encoded = EncodedText.encode(vocab, text);
    assertEquals(15, encoded.length());
    assertArrayEquals(vocab.encode(text), encoded.toArray());
    assertEquals(vocab.id(0x1F600), encoded.id(14));
    assertEquals(vocab.id('h'), encoded.id(0));
  }

  @Test
  void storesTwoBytesPerCharacterUpTo65535SymbolsAndFourBeyond() {
    int[] symbols = new int[EncodedText.MAX_SHORT_VOCABULARY];
    Arrays.setAll(symbols, i -> 0x10000 + i);
    String text = new String(symbols, 0, symbols.length);
    EncodedText compact = EncodedText.encode(CharVocabulary.of(symbols, false), text);
    assertEquals(2, compact.bytesPerId());
    assertEquals(65_534, compact.id(65_534));
    assertEquals(40_000, compact.id(40_000));

    int[] more = Arrays.copyOf(symbols, symbols.length + 1);
    more[symbols.length] = 0x10000 + symbols.length;
    EncodedText wide = EncodedText.encode(CharVocabulary.of(more, false), new String(more, 0, more.length));
    assertEquals(4, wide.bytesPerId());
    assertEquals(65_535, wide.id(65_535));
  }

  @Test
  void refusesCharactersMissingFromTheVocabulary() {
    CharVocabulary vocab = CharVocabulary.fromText("abc", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EncodedText.encode(vocab, "abXcY"));
    assertEquals("2 characters are not in the model's vocabulary: 'X', 'Y'", e.getMessage());
  }

  @Test
  void splitKeepsTheFirstPartForTrainingAndTheLastForValidation() {
    String text = "abcdefghij".repeat(100);
    EncodedText encoded = EncodedText.encode(CharVocabulary.fromText(text, false), text);
    EncodedText.Split split = encoded.trainValidationSplit(0.1);
    assertEquals(900, split.train().length());
    assertEquals(100, split.validation().length());
    assertArrayEquals(Arrays.copyOfRange(encoded.toArray(), 0, 900), split.train().toArray());
    assertArrayEquals(Arrays.copyOfRange(encoded.toArray(), 900, 1000), split.validation().toArray());
    assertEquals(encoded.vocabulary(), split.validation().vocabulary());
  }

  @Test
  void splitRoundsTheValidationLengthAndCountsCodePoints() {
    String text = "😀a😀b😀c😀";
    EncodedText encoded = EncodedText.encode(CharVocabulary.fromText(text, false), text);
    EncodedText.Split split = encoded.trainValidationSplit(0.25);
    assertEquals(5, split.train().length());
    assertEquals(2, split.validation().length());
    EncodedText.Split none = encoded.trainValidationSplit(0);
    assertEquals(7, none.train().length());
    assertEquals(0, none.validation().length());
  }

  @Test
  void splitRejectsFractionsOutsideTheRangeOrTooSmallForTheText() {
    String text = "abc";
    EncodedText encoded = EncodedText.encode(CharVocabulary.fromText(text, false), text);
    for (double bad : new double[] {-0.1, 1, 1.5, Double.NaN}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoded.trainValidationSplit(bad));
      assertTrue(e.getMessage().startsWith("validation fraction must be in [0, 1), got "), e.getMessage());
    }
    assertEquals("a text of 3 characters is too short to split with validation fraction 0.1; "
            + "both parts need at least one character",
        assertThrows(IllegalArgumentException.class, () -> encoded.trainValidationSplit(0.1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> encoded.trainValidationSplit(0.9));
  }

  @Test
  void copyIdsAndSliceCheckTheirBounds() {
    String text = "abcdef";
    EncodedText encoded = EncodedText.encode(CharVocabulary.fromText(text, false), text);
    int[] target = new int[5];
    encoded.slice(2, 5).copyIds(1, target, 3, 2);
    assertArrayEquals(new int[] {0, 0, 0, 3, 4}, target);
    assertThrows(IndexOutOfBoundsException.class, () -> encoded.slice(2, 5).id(3));
    assertThrows(IndexOutOfBoundsException.class, () -> encoded.copyIds(4, target, 0, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> encoded.copyIds(0, target, 4, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> encoded.slice(4, 2));
  }
}
