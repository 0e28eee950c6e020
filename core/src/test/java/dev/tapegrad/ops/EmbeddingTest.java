package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  private static final double EXACT = 0;

  // weight = [[1, 2], [3, 4], [5, 6]]: a vocabulary of 3 entries of width 2
  private static Variable table() {
    return param("weight", new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
  }

  @Test
  void gathersTheRowsNamedByTheIds() {
    Variable out = Embedding.apply(new Tape(), table(), new int[] {2, 0, 2});
    assertEquals(Shape.of(3, 2), out.shape());
    AllClose.check("out", new float[] {5, 6, 1, 2, 5, 6}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void backwardScatterAddsAndARepeatedIdReceivesEveryRow() {
    // ids [2, 0, 2], dOut = [[1, 1], [10, 10], [100, 100]]:
    //   dWeight[0] = [10, 10]; dWeight[1] = 0; dWeight[2] = [1 + 100, 1 + 100] = [101, 101]
    Variable w = table();
    Tape tape = new Tape();
    backward(tape, Embedding.apply(tape, w, new int[] {2, 0, 2}), 1, 1, 10, 10, 100, 100);
    AllClose.check("dWeight", new float[] {10, 10, 0, 0, 101, 101}, w.grad().data(), EXACT, EXACT);
  }

  @Test
  void usesTheIdsAsTheyWereAtForward() {
    Variable w = table();
    int[] ids = {1};
    Tape tape = new Tape();
    Variable out = Embedding.apply(tape, w, ids);
    ids[0] = 0;
    backward(tape, out, 1, 1);
    AllClose.check("dWeight", new float[] {0, 0, 1, 1, 0, 0}, w.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsAnIndexOutOfRangeNamingTheIndexAndTheVocabularySize() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Embedding.apply(new Tape(), table(), new int[] {0, 3}), "index 3", "position 1", "vocabulary of 3");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Embedding.apply(new Tape(), table(), new int[] {-1}), "index -1", "vocabulary of 3");
  }

  @Test
  void idsOfAnyShapeGiveRowsInThatShape() {
    // ids (2, 2) = [[2, 0], [1, 2]] → (2, 2, 2); a rank-0 id gives one row of shape (2)
    Variable out = Embedding.apply(new Tape(), table(), IntTensor.of(new int[] {2, 0, 1, 2}, 2, 2));
    assertEquals(Shape.of(2, 2, 2), out.shape());
    AllClose.check("out", new float[] {5, 6, 1, 2, 3, 4, 5, 6}, out.value().data(), EXACT, EXACT);
    Variable one = Embedding.apply(new Tape(), table(), IntTensor.scalar(1));
    assertEquals(Shape.of(2), one.shape());
    AllClose.check("one", new float[] {3, 4}, one.value().data(), EXACT, EXACT);
  }

  @Test
  void noIdsGiveAnEmptyResult() {
    // PyTorch's embedding of an empty index is (0, D)
    assertEquals(Shape.of(0, 2), Embedding.apply(new Tape(), table(), new int[0]).shape());
  }

  @Test
  void rejectsATableThatIsNotTwoDimensional() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Embedding.apply(new Tape(), param("w", new float[3], 3), new int[] {0}), "weight", "2-D", "[3]");
  }
}
