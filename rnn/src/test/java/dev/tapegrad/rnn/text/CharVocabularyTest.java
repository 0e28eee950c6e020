package dev.tapegrad.rnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CharVocabularyTest {

  private static final String MIXED = "héllo 𝄞 wörld 😀";

  @Test
  void roundTripsAccentedLettersAndCharactersBeyondTheBmp() {
    CharVocabulary vocab = CharVocabulary.fromText(MIXED, false);
    int[] ids = vocab.encode(MIXED);
    assertEquals(MIXED.codePointCount(0, MIXED.length()), ids.length);
    assertEquals(15, ids.length);
    assertEquals(MIXED, vocab.decode(ids));
  }

  @Test
  void symbolsAreDistinctCodePointsSortedAscending() {
    CharVocabulary vocab = CharVocabulary.fromText(MIXED, false);
    assertArrayEquals(new int[] {' ', 'd', 'h', 'l', 'o', 'r', 'w', 'é', 'ö', 0x1D11E, 0x1F600}, vocab.codePoints());
    assertEquals(11, vocab.size());
    assertEquals(0, vocab.id(' '));
    assertEquals(10, vocab.id(0x1F600));
    assertEquals(0x1D11E, vocab.codePoint(9));
    assertEquals("😀", vocab.decode(10));
  }

  @Test
  void lowercasingVocabularyLowercasesItsTextAndEveryInput() {
    CharVocabulary vocab = CharVocabulary.fromText("Hello WORLD", true);
    assertTrue(vocab.lowercase());
    assertArrayEquals(" dehlorw".codePoints().toArray(), vocab.codePoints());
    assertArrayEquals(vocab.encode("hello"), vocab.encode("HeLLO"));
    assertEquals("world", vocab.decode(vocab.encode("World")));
  }

  @Test
  void caseKeepingVocabularyTreatsCasesAsDistinctSymbols() {
    CharVocabulary vocab = CharVocabulary.fromText("Hello", false);
    assertFalse(vocab.lowercase());
    assertArrayEquals("Hello".codePoints().sorted().distinct().toArray(), vocab.codePoints());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocab.encode("hello"));
    assertEquals("1 character is not in the model's vocabulary: 'h'", e.getMessage());
  }

  @Test
  void lowercasingUsesTheRootLocaleWhateverTheDefault() {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      CharVocabulary vocab = CharVocabulary.fromText("TITLE", true);
      assertArrayEquals("eilt".codePoints().toArray(), vocab.codePoints());
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void unknownCharactersAreListedOnceEachInOrderOfAppearance() {
    CharVocabulary vocab = CharVocabulary.fromText("abc xyz", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocab.encode("aéZ😀bé Z"));
    assertEquals("3 characters are not in the model's vocabulary: 'é', 'Z', U+1F600", e.getMessage());
  }

  @Test
  void invisibleCharactersAreShownAsCodePoints() {
    CharVocabulary vocab = CharVocabulary.fromText("abc", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vocab.encode("a\n\t\u200B\u0301 \u00A0'\\"));
    assertEquals("8 characters are not in the model's vocabulary: U+000A, U+0009, U+200B, U+0301, U+0020, "
        + "U+00A0, '\\'', '\\\\'", e.getMessage());
  }

  @Test
  void longListsOfUnknownCharactersAreCutShort() {
    CharVocabulary vocab = CharVocabulary.fromText("a", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> vocab.encode("bcdefghijklmnopqrstuvwxyzBCD"));
    assertTrue(e.getMessage().startsWith("28 characters are not in the model's vocabulary: 'b', 'c', "), e.getMessage());
    assertTrue(e.getMessage().endsWith("'u', and 8 more"), e.getMessage());
  }

  @Test
  void idOfAnUnknownCodePointNamesIt() {
    CharVocabulary vocab = CharVocabulary.fromText("ab", false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocab.id('z'));
    assertEquals("1 character is not in the model's vocabulary: 'z'", e.getMessage());
    assertFalse(vocab.contains('z'));
    assertTrue(vocab.contains('a'));
  }

  @Test
  void decodeAndCodePointRejectIdsOutOfRange() {
    CharVocabulary vocab = CharVocabulary.fromText("ab", false);
    assertEquals("id 2 at position 1 is outside the vocabulary of 2 symbols",
        assertThrows(IllegalArgumentException.class, () -> vocab.decode(0, 2)).getMessage());
    assertEquals("id -1 is outside the vocabulary of 2 symbols",
        assertThrows(IllegalArgumentException.class, () -> vocab.codePoint(-1)).getMessage());
  }

  @Test
  void storedCodePointsRebuildAnEqualVocabulary() {
    CharVocabulary vocab = CharVocabulary.fromText(MIXED, true);
    CharVocabulary rebuilt = CharVocabulary.of(vocab.codePoints(), vocab.lowercase());
    assertEquals(vocab, rebuilt);
    assertEquals(vocab.hashCode(), rebuilt.hashCode());
    assertNotEquals(vocab, CharVocabulary.of(vocab.codePoints(), false));
    assertTrue(vocab.toString().startsWith("CharVocabulary[size=11, lowercase=true, symbols=U+0020 'd' 'h'"),
        vocab.toString());
  }

  @Test
  void arraysAreCopiedInAndOut() {
    int[] codePoints = {'a', 'b'};
    CharVocabulary vocab = CharVocabulary.of(codePoints, false);
    codePoints[0] = 'z';
    vocab.codePoints()[1] = 'y';
    assertArrayEquals(new int[] {'a', 'b'}, vocab.codePoints());
  }

  @Test
  void ofRejectsCodePointsThatAreNotStrictlyAscendingOrNotCodePoints() {
    assertEquals("vocabulary code points must be strictly ascending, but id 1 ('a') follows 'b'",
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(new int[] {'b', 'a'}, false)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(new int[] {'a', 'a'}, false));
    assertEquals("vocabulary id 1 holds 1114112, which is not a Unicode code point",
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(new int[] {'a', 0x110000}, false))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(new int[] {-1}, false));
    assertEquals("a vocabulary needs at least one character",
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.of(new int[0], false)).getMessage());
    assertEquals("cannot build a vocabulary from empty text",
        assertThrows(IllegalArgumentException.class, () -> CharVocabulary.fromText("", true)).getMessage());
  }
}
