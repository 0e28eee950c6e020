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

class ChunkTest {

  @Test
  void piecesHaveTheCeilingOfTheSizeOverChunksAndMayBeFewer() {
    // 5 in 4 chunks: ⌈5/4⌉ = 2, so 2, 2, 1 (three pieces, as in PyTorch); 6 in 3: 2, 2, 2
    Variable x = param("x", new float[] {0, 1, 2, 3, 4}, 5);
    List<Variable> pieces = Chunk.apply(new Tape(), x, 4, 0);
    assertEquals(3, pieces.size());
    assertEquals(Shape.of(1), pieces.get(2).shape());
    assertEquals(3, Chunk.apply(new Tape(), param("y", new float[12], 2, 6), 3, -1).size());
  }

  @Test
  void anEmptyDimensionGivesChunksEmptyPieces() {
    List<Variable> pieces = Chunk.apply(new Tape(), param("x", new float[0], 0), 3, 0);
    assertEquals(3, pieces.size());
    assertEquals(Shape.of(0), pieces.get(2).shape());
  }

  @Test
  void backwardOfTheSecondHalfFillsTheSecondHalf() {
    Variable x = param("x", new float[] {1, 2, 3, 4}, 4);
    Tape tape = new Tape();
    backward(tape, Chunk.apply(tape, x, 2, 0).get(1), 5, 6);
    AllClose.check("dX", new float[] {0, 0, 5, 6}, x.grad().data(), 0, 0);
  }

  @Test
  void rejectsChunksBelowOne() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Chunk.apply(new Tape(), param("x", new float[2], 2), 0, 0), "Chunk", "chunks 0", "[2]");
  }
}
