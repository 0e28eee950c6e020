package dev.tapegrad.rnn.text;

import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The symbols a character model reads and writes: Unicode code points (not UTF-16 units, so
 * {@code 😀} is one symbol), sorted ascending, with id {@code i} for the {@code i}-th smallest. This
 * is the order of Python's {@code sorted(set(text))}, so ids match the PyTorch anchor's.
 *
 * <p>A vocabulary may be <em>lower-casing</em>: then it was built from lower-cased text, and
 * {@link #encode} lower-cases its input the same way, with {@link String#toLowerCase(Locale)} in
 * {@link Locale#ROOT}.
 *
 * <p>The record is immutable: the constructor and {@link #codePoints()} copy the array, and
 * {@code equals}, {@code hashCode} and {@code toString} compare and show the code points, not the
 * array's identity.
 *
 * <pre>{@code
 * CharVocabulary vocab = CharVocabulary.fromText("Hello, world", true);
 * int[] ids = vocab.encode("HELLO");     // lower-cased first
 * String back = vocab.decode(ids);       // "hello"
 * int[] stored = vocab.codePoints();     // for checkpoint metadata; CharVocabulary.of(stored, true)
 * }</pre>
 *
 * @param codePoints the symbols in id order, strictly ascending
 * @param lowercase whether text is lower-cased before encoding
 */
public record CharVocabulary(int[] codePoints, boolean lowercase) {

  /** At most this many missing characters are listed in an error message. */
  private static final int MISSING_LISTED = 20;

  /**
   * Copies and checks the code points.
   *
   * @throws IllegalArgumentException if there are none, one is not a valid code point, or they are
   *     not strictly ascending
   */
  public CharVocabulary {
    codePoints = codePoints.clone();
    if (codePoints.length == 0) {
      throw new IllegalArgumentException("a vocabulary needs at least one character");
    }
    for (int id = 0; id < codePoints.length; id++) {
      if (!Character.isValidCodePoint(codePoints[id])) {
        throw new IllegalArgumentException("vocabulary id " + id + " holds " + codePoints[id]
            + ", which is not a Unicode code point");
      }
      if (id > 0 && codePoints[id] <= codePoints[id - 1]) {
        throw new IllegalArgumentException("vocabulary code points must be strictly ascending, but id " + id + " ("
            + describe(codePoints[id]) + ") follows " + describe(codePoints[id - 1]));
      }
    }
  }

  /**
   * Returns the vocabulary of the distinct code points in {@code text}.
   *
   * @param text the training text
   * @param lowercase whether to lower-case the text first (and every text encoded later)
   * @return the vocabulary, sorted by code point
   * @throws IllegalArgumentException if the text is empty
   */
  public static CharVocabulary fromText(String text, boolean lowercase) {
    String normalized = normalize(text, lowercase);
    BitSet seen = new BitSet();
    normalized.codePoints().forEach(seen::set);
    if (seen.isEmpty()) {
      throw new IllegalArgumentException("cannot build a vocabulary from empty text");
    }
    return new CharVocabulary(seen.stream().toArray(), lowercase);
  }

  /**
   * Returns the vocabulary with the given code points in id order, as stored in a checkpoint's
   * {@code vocab} metadata.
   *
   * @param codePoints the code points, strictly ascending
   * @param lowercase whether text is lower-cased before encoding
   * @return the vocabulary
   * @throws IllegalArgumentException as the constructor does
   */
  public static CharVocabulary of(int[] codePoints, boolean lowercase) {
    return new CharVocabulary(codePoints, lowercase);
  }

  /** Returns a copy of the code points in id order. */
  @Override
  public int[] codePoints() {
    return codePoints.clone();
  }

  /** Returns the number of symbols, V. */
  public int size() {
    return codePoints.length;
  }

  /** Returns whether {@code codePoint} has an id (without lower-casing it). */
  public boolean contains(int codePoint) {
    return Arrays.binarySearch(codePoints, codePoint) >= 0;
  }

  /**
   * Returns a code point's id.
   *
   * @param codePoint the code point, already lower-cased if this vocabulary lower-cases
   * @return its id, from 0 to {@code size() - 1}
   * @throws IllegalArgumentException if it is not in the vocabulary
   */
  public int id(int codePoint) {
    int id = Arrays.binarySearch(codePoints, codePoint);
    if (id < 0) {
      throw new IllegalArgumentException(missingMessage(Set.of(codePoint)));
    }
    return id;
  }

  /**
   * Returns the code point with the given id.
   *
   * @param id from 0 to {@code size() - 1}
   * @return its code point
   * @throws IllegalArgumentException if the id is out of range
   */
  public int codePoint(int id) {
    if (id < 0 || id >= codePoints.length) {
      throw new IllegalArgumentException("id " + id + " is outside the vocabulary of " + codePoints.length + " symbols");
    }
    return codePoints[id];
  }

  /**
   * Applies this vocabulary's lower-casing rule to {@code text}.
   *
   * @param text any text
   * @return the text as {@link #encode} sees it
   */
  public String normalize(String text) {
    return normalize(text, lowercase);
  }

  /**
   * Returns the ids of the code points of {@code text}, after lower-casing it if this vocabulary
   * lower-cases.
   *
   * @param text the text
   * @return one id per code point
   * @throws IllegalArgumentException listing the distinct characters that have no id, for example
   *     {@code 3 characters are not in the model's vocabulary: 'é', 'Z', U+1F600}
   */
  public int[] encode(String text) {
    String normalized = normalize(text);
    int[] ids = new int[normalized.codePointCount(0, normalized.length())];
    int at = 0;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      int id = idOrNegative(cp);
      if (id < 0) {
        throw missingCharacters(normalized);
      }
      ids[at++] = id;
      i += Character.charCount(cp);
    }
    return ids;
  }

  /**
   * Returns the text spelled by {@code ids}.
   *
   * @param ids ids from 0 to {@code size() - 1}
   * @return the text
   * @throws IllegalArgumentException if an id is out of range
   */
  public String decode(int... ids) {
    StringBuilder text = new StringBuilder(ids.length);
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= codePoints.length) {
        throw new IllegalArgumentException("id " + ids[i] + " at position " + i + " is outside the vocabulary of "
            + codePoints.length + " symbols");
      }
      text.appendCodePoint(codePoints[ids[i]]);
    }
    return text.toString();
  }

  /** Compares the code points and the lower-casing flag. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CharVocabulary other && lowercase == other.lowercase
        && Arrays.equals(codePoints, other.codePoints);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(codePoints) + Boolean.hashCode(lowercase);
  }

  /** Returns the size, the flag and the first symbols, for logs. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("CharVocabulary[size=").append(codePoints.length)
        .append(", lowercase=").append(lowercase).append(", symbols=");
    int shown = Math.min(codePoints.length, MISSING_LISTED);
    for (int id = 0; id < shown; id++) {
      out.append(id == 0 ? "" : " ").append(describe(codePoints[id]));
    }
    return out.append(shown < codePoints.length ? " ...]" : "]").toString();
  }

  /** Returns the id of {@code codePoint}, or a negative number if it has none. */
  int idOrNegative(int codePoint) {
    return Arrays.binarySearch(codePoints, codePoint);
  }

  /** Builds the error for the characters of {@code normalized} that have no id. */
  IllegalArgumentException missingCharacters(String normalized) {
    Set<Integer> missing = new LinkedHashSet<>();
    normalized.codePoints().filter(cp -> !contains(cp)).forEach(missing::add);
    return missingCharacters(missing);
  }

  /** Builds the error for the given characters, which have no id, in the set's order. */
  IllegalArgumentException missingCharacters(Set<Integer> missing) {
    return new IllegalArgumentException(missingMessage(missing));
  }

  /**
   * The message for the given characters, which have no id: how many, and the first few, in the
   * set's order.
   *
   * @param missing the code points the vocabulary lacks
   * @return one line, such as {@code 2 characters are not in the model's vocabulary: 'Z', 'ë'}
   */
  public static String missingMessage(Set<Integer> missing) {
    StringBuilder out = new StringBuilder();
    out.append(missing.size()).append(missing.size() == 1 ? " character is" : " characters are")
        .append(" not in the model's vocabulary: ");
    int listed = 0;
    for (int cp : missing) {
      if (listed == MISSING_LISTED) {
        out.append(", and ").append(missing.size() - listed).append(" more");
        break;
      }
      out.append(listed == 0 ? "" : ", ").append(describe(cp));
      listed++;
    }
    return out.toString();
  }

  /**
   * Shows one code point readably on one line: a visible BMP character in single quotes, anything
   * else (controls, spaces, marks, format characters, characters beyond the BMP such as emoji that
   * many terminals cannot show) as {@code U+XXXX}.
   */
  static String describe(int cp) {
    if (isVisible(cp)) {
      return cp == '\'' || cp == '\\' ? "'\\" + (char) cp + "'" : "'" + (char) cp + "'";
    }
    return String.format("U+%04X", cp);
  }

  private static boolean isVisible(int cp) {
    if (!Character.isBmpCodePoint(cp)) {
      return false;
    }
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> false;
      default -> true;
    };
  }

  private static String normalize(String text, boolean lowercase) {
    return lowercase ? text.toLowerCase(Locale.ROOT) : text;
  }
}
