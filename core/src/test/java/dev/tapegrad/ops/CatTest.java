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

class CatTest {

  private static final double EXACT = 0;

  @Test
  void joinsAlongRowsOrColumnsAndSplitsTheGradientBack() {
    // a = [[1, 2]], b = [[3, 4], [5, 6]]: cat along 0 is [[1, 2], [3, 4], [5, 6]]
    Variable a = param("a", new float[] {1, 2}, 1, 2);
    Variable b = param("b", new float[] {3, 4, 5, 6}, 2, 2);
    Tape tape = new Tape();
    Variable out = Cat.apply(tape, List.of(a, b), 0);
    assertEquals(Shape.of(3, 2), out.shape());
    AllClose.check("out", new float[] {1, 2, 3, 4, 5, 6}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4, 5, 6);
    AllClose.check("dA", new float[] {1, 2}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {3, 4, 5, 6}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void joinsAlongTheLastDimensionAndSkipsAnEmptyVector() {
    // [[1], [2]] and [[3, 4], [5, 6]] along −1: [[1, 3, 4], [2, 5, 6]]; a 1-D empty tensor is skipped as in PyTorch
    Variable a = param("a", new float[] {1, 2}, 2, 1);
    Variable b = param("b", new float[] {3, 4, 5, 6}, 2, 2);
    Variable empty = param("e", new float[0], 0);
    Variable out = Cat.apply(new Tape(), List.of(empty, a, b), -1);
    AllClose.check("out", new float[] {1, 3, 4, 2, 5, 6}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void aTensorUsedTwiceReceivesBothBlocks() {
    Variable a = param("a", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    backward(tape, Cat.apply(tape, List.of(a, a), 0), 1, 2, 10, 20);
    AllClose.check("dA", new float[] {11, 22}, a.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsShapesThatDifferElsewhereNamingBoth() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Cat.apply(new Tape(),
        List.of(param("a", new float[6], 2, 3), param("b", new float[6], 3, 2)), 0), "Cat", "[2, 3]", "[3, 2]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Cat.apply(new Tape(), List.of(), 0), "Cat");
  }
}
