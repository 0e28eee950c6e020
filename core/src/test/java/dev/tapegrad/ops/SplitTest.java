package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitTest {

  private static final double EXACT = 0;

  @Test
  void cutsIntoPiecesOfOneSizeTheLastSmaller() {
    // [0, 1, 2, 3, 4] in pieces of 2: [0, 1], [2, 3], [4]
    Variable x = param("x", new float[] {0, 1, 2, 3, 4}, 5);
    List<Variable> pieces = Split.apply(new Tape(), x, 2, 0);
    assertEquals(3, pieces.size());
    AllClose.check("piece 1", new float[] {2, 3}, pieces.get(1).value().data(), EXACT, EXACT);
    AllClose.check("piece 2", new float[] {4}, pieces.get(2).value().data(), EXACT, EXACT);
  }

  @Test
  void cutsIntoGivenSizesAndEachPieceWritesItsOwnGradient() {
    // x (2, 3) into columns of 1 and 2; only the second piece reaches the loss
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    List<Variable> pieces = Split.apply(tape, x, new int[] {1, 2}, -1);
    assertEquals(Shape.of(2, 1), pieces.get(0).shape());
    AllClose.check("second", new float[] {2, 3, 5, 6}, pieces.get(1).value().data(), EXACT, EXACT);
    backward(tape, pieces.get(1), 1, 2, 3, 4);
    AllClose.check("dX", new float[] {0, 1, 2, 0, 3, 4}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void anEmptyDimensionGivesOneEmptyPiece() {
    List<Variable> pieces = Split.apply(new Tape(), param("x", new float[0], 0, 3), 2, 0);
    assertEquals(1, pieces.size());
    assertEquals(Shape.of(0, 3), pieces.get(0).shape());
  }

  @Test
  void rejectsSizesThatDoNotAddUpAndASizeOfZero() {
    Variable x = param("x", new float[5], 5);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Split.apply(new Tape(), x, new int[] {2, 2}, 0),
        "Split", "[2, 2]", "[5]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Split.apply(new Tape(), x, 0, 0), "Split",
        "split size 0", "[5]");
  }
}
