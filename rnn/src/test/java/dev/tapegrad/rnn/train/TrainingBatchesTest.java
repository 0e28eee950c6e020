package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.SplitMix64;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainingBatchesTest {

  /**
   * Each position of the text is recognised by its id: the text is 0, 1, 2, … (mod the vocabulary
   * size), so a batch's ids say exactly which positions it read.
   */
  private static EncodedText positions(int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.appendCodePoint(0x4E00 + i); // distinct characters: id order = code point order = position
    }
    return EncodedText.encode(CharVocabulary.fromText(text.toString(), false), text.toString());
  }

  /**
   * One stateful epoch: every position but the last is an input exactly once, every position but
   * the first a target exactly once; each row reads a contiguous stretch in order, carrying its
   * state; the target of each input is the next position.
   */
  @ParameterizedTest
  @CsvSource({"101, 4, 10", "100, 4, 10", "37, 5, 3", "12, 11, 100", "50, 1, 7", "9, 8, 1", "1000, 32, 100"})
  void statefulEpochCoversEveryCharacterOnce(int length, int batch, int seq) {
    EncodedText text = positions(length);
    TrainingBatches.Stateful batches = new TrainingBatches.Stateful(text, seq, batch);
    int[] asInput = new int[length];
    int[] asTarget = new int[length];
    int[] rowNext = new int[batch];
    java.util.Arrays.fill(rowNext, -1);
    long chars = 0;
    for (long s = 0; s < batches.stepsPerEpoch(); s++) {
      assertEquals(chars, batches.charsBefore(s));
      TrainingBatches.Batch b = batches.next(s, new SplitMix64(1));
      assertEquals(s == 0 ? 0 : b.rows(), b.carryRows(), "step " + s + " continues every row but the first step");
      assertEquals(s < batches.stepsPerEpoch() - 1, b.carryOut());
      for (int r = 0; r < b.rows(); r++) {
        for (int t = 0; t < b.length(); t++) {
          int in = b.inputs()[r * b.length() + t];
          int target = b.targets()[r * b.length() + t];
          assertEquals(in + 1, target, "the target is the next character");
          if (rowNext[r] >= 0) {
            assertEquals(rowNext[r], in, "row " + r + " walks its stretch in order");
          }
          rowNext[r] = in + 1;
          asInput[in]++;
          asTarget[target]++;
        }
      }
      chars += b.chars();
    }
    assertEquals(length - 1, chars);
    assertEquals(chars, batches.charsBefore(batches.stepsPerEpoch()));
    for (int i = 0; i < length; i++) {
      assertEquals(i == length - 1 ? 0 : 1, asInput[i], "position " + i + " as an input");
      assertEquals(i == 0 ? 0 : 1, asTarget[i], "position " + i + " as a target");
    }
  }

  @ParameterizedTest
  @CsvSource({"101, 4, 10", "30, 3, 29"})
  void randomBatchesAreWholeChunksOfNextCharacters(int length, int batch, int seq) {
    EncodedText text = positions(length);
    TrainingBatches.Random batches = new TrainingBatches.Random(text, seq, batch);
    assertEquals((length + (long) seq * batch - 1) / ((long) seq * batch), batches.stepsPerEpoch());
    SplitMix64 random = new SplitMix64(3);
    for (int s = 0; s < 20; s++) {
      TrainingBatches.Batch b = batches.next(s, random);
      assertEquals(batch, b.rows());
      assertEquals(seq, b.length());
      assertEquals(0, b.carryRows(), "random chunks start from zeros");
      for (int r = 0; r < batch; r++) {
        int first = b.inputs()[r * seq];
        assertTrue(first + seq < length);
        for (int t = 0; t < seq; t++) {
          assertEquals(first + t, b.inputs()[r * seq + t]);
          assertEquals(first + t + 1, b.targets()[r * seq + t]);
        }
      }
    }
  }
}
