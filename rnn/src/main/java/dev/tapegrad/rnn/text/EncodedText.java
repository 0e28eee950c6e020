package dev.tapegrad.rnn.text;

import java.util.Objects;

/**
 * A text as vocabulary ids, stored compactly: two bytes per character in a {@code short[]} when the
 * vocabulary has at most {@value #MAX_SHORT_VOCABULARY} symbols (almost always), four otherwise.
 * The 1.1 MB Shakespeare corpus takes 2.2 MB this way, against 4.5 MB as an {@code int[]}.
 *
 * <p>Positions count code points, not UTF-16 units. The ids cannot be changed after encoding;
 * {@link #slice} and {@link #trainValidationSplit} return views that share the storage.
 *
 * <pre>{@code
 * String text = "To be, or not to be, that is the question:\n".repeat(10);
 * CharVocabulary vocab = CharVocabulary.fromText(text, true);
 * EncodedText corpus = EncodedText.encode(vocab, text);      // a file: TextFile.encode(path, true)
 * EncodedText.Split split = corpus.trainValidationSplit(0.1);   // last 10% for validation
 * int first = split.train().id(0);
 * }</pre>
 */
public final class EncodedText {

  /** The largest vocabulary stored two bytes per character. */
  public static final int MAX_SHORT_VOCABULARY = 65_535;

  private final CharVocabulary vocabulary;
  private final short[] shortIds;
  private final int[] intIds;
  private final int offset;
  private final int length;

  private EncodedText(CharVocabulary vocabulary, short[] shortIds, int[] intIds, int offset, int length) {
    this.vocabulary = vocabulary;
    this.shortIds = shortIds;
    this.intIds = intIds;
    this.offset = offset;
    this.length = length;
  }

  /**
   * Encodes {@code text} with {@code vocabulary}, lower-casing it first if the vocabulary
   * lower-cases.
   *
   * @param vocabulary the vocabulary
   * @param text the text
   * @return the encoded text, one id per code point
   * @throws IllegalArgumentException listing the characters missing from the vocabulary, as
   *     {@link CharVocabulary#encode} does
   */
  public static EncodedText encode(CharVocabulary vocabulary, String text) {
    Objects.requireNonNull(vocabulary, "vocabulary");
    String normalized = vocabulary.normalize(text);
    int length = normalized.codePointCount(0, normalized.length());
    boolean compact = vocabulary.size() <= MAX_SHORT_VOCABULARY;
    short[] shortIds = compact ? new short[length] : null;
    int[] intIds = compact ? null : new int[length];
    int at = 0;
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      int id = vocabulary.idOrNegative(cp);
      if (id < 0) {
        throw vocabulary.missingCharacters(normalized);
      }
      if (compact) {
        // Ids up to 65534 are stored as unsigned 16-bit values.
        shortIds[at++] = (short) id;
      } else {
        intIds[at++] = id;
      }
      i += Character.charCount(cp);
    }
    return new EncodedText(vocabulary, shortIds, intIds, 0, length);
  }

  /**
   * Wraps ids already checked against {@code vocabulary}, without copying them; exactly one of the
   * arrays is given.
   */
  static EncodedText wrap(CharVocabulary vocabulary, short[] shortIds, int[] intIds) {
    if ((shortIds == null) == (intIds == null)) {
      throw new IllegalArgumentException("give either short or int ids");
    }
    return new EncodedText(vocabulary, shortIds, intIds, 0, shortIds != null ? shortIds.length : intIds.length);
  }

  /** Returns the vocabulary the ids refer to. */
  public CharVocabulary vocabulary() {
    return vocabulary;
  }

  /** Returns the number of characters (code points). */
  public int length() {
    return length;
  }

  /**
   * Returns the id of the character at {@code position}.
   *
   * @param position from 0 to {@code length() - 1}
   * @return its id
   * @throws IndexOutOfBoundsException if the position is out of range
   */
  public int id(int position) {
    Objects.checkIndex(position, length);
    return shortIds != null ? Short.toUnsignedInt(shortIds[offset + position]) : intIds[offset + position];
  }

  /**
   * Copies one training chunk: {@code seq + 1} characters from {@code start}, of which the first
   * seq are inputs and the last seq, shifted by one, are the targets each input should predict.
   *
   * @param start the chunk's first position, at most {@code length() − seq − 1}
   * @param seq the chunk length
   * @param inputs receives ids start … start+seq−1 at {@code offset}
   * @param targets receives ids start+1 … start+seq at {@code offset}
   * @param offset where to write in both arrays
   */
  public void chunk(int start, int seq, int[] inputs, int[] targets, int offset) {
    copyIds(start, inputs, offset, seq);
    copyIds(start + 1, targets, offset, seq);
  }

  /**
   * Copies {@code count} ids starting at {@code position} into {@code target}, for building
   * batches without a call per character.
   *
   * @param position the first position to copy
   * @param target the array to fill
   * @param targetOffset where in {@code target} to start
   * @param count how many ids to copy
   * @throws IndexOutOfBoundsException if either range is out of bounds
   */
  public void copyIds(int position, int[] target, int targetOffset, int count) {
    Objects.checkFromIndexSize(position, count, length);
    Objects.checkFromIndexSize(targetOffset, count, target.length);
    if (shortIds == null) {
      System.arraycopy(intIds, offset + position, target, targetOffset, count);
      return;
    }
    for (int i = 0; i < count; i++) {
      target[targetOffset + i] = Short.toUnsignedInt(shortIds[offset + position + i]);
    }
  }

  /**
   * Returns the characters from {@code from} (inclusive) to {@code to} (exclusive), sharing this
   * text's storage.
   *
   * @param from the first position
   * @param to one past the last position
   * @return the slice
   * @throws IndexOutOfBoundsException if the range is out of bounds
   */
  public EncodedText slice(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    return new EncodedText(vocabulary, shortIds, intIds, offset + from, to - from);
  }

  /**
   * Splits the text in two: the first characters for training and the last
   * {@code round(validationFraction × length())} for validation. Nothing is shuffled, so the
   * validation text is text the model has not seen, as in the PyTorch anchor.
   *
   * @param validationFraction the share for validation, in {@code [0, 1)}; 0 gives an empty
   *     validation part
   * @return the two parts, sharing this text's storage
   * @throws IllegalArgumentException if the fraction is outside {@code [0, 1)}, or if it is
   *     positive but the text is too short to give both parts at least one character
   */
  public Split trainValidationSplit(double validationFraction) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
    }
    int validation = (int) Math.round(validationFraction * length);
    if (validationFraction > 0 && (validation == 0 || validation == length)) {
      throw new IllegalArgumentException("a text of " + length + " characters is too short to split with validation "
          + "fraction " + validationFraction + "; both parts need at least one character");
    }
    int train = length - validation;
    return new Split(slice(0, train), slice(train, length));
  }

  /** Returns the text's length and storage, for logs. */
  @Override
  public String toString() {
    return "EncodedText[length=" + length + ", vocabulary=" + vocabulary.size() + " symbols, "
        + bytesPerId() + " bytes per character]";
  }

  /** Returns 2 for {@code short} storage and 4 for {@code int} storage. */
  int bytesPerId() {
    return shortIds != null ? Short.BYTES : Integer.BYTES;
  }

  /**
   * A text split into a training part and the validation part that follows it.
   *
   * @param train the first part
   * @param validation the last part; empty when the fraction was 0
   */
  public record Split(EncodedText train, EncodedText validation) {

    /** Checks that both parts are present. */
    public Split {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(validation, "validation");
    }
  }

  /** Returns the ids as a new array; for tests and small texts. */
  int[] toArray() {
    int[] ids = new int[length];
    copyIds(0, ids, 0, length);
    return ids;
  }
}
