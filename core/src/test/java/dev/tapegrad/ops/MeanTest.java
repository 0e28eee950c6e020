package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class MeanTest {

  @Test
  void averagesEveryElementIntoAScalar() {
    // (1 + 2 + 3 + 4) / 4 = 2.5
    Variable out = Mean.apply(new Tape(), param("x", new float[] {1, 2, 3, 4}, 2, 2));
    assertEquals(0, out.shape().rank());
    assertEquals(2.5f, out.value().item());
  }

  @Test
  void backwardDividesTheUpstreamGradientByTheCount() {
    // out = (1/N) Σ x_i  ⇒  dX_i = dOut / N = 2 / 4 = 0.5
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    backward(tape, Mean.apply(tape, x), 2f);
    AllClose.check("dX", new float[] {0.5f, 0.5f, 0.5f, 0.5f}, x.grad().data(), 0, 0);
  }

  @Test
  void meanOfOneElementIsThatElement() {
    Variable x = param("x", new float[] {-7}, 1);
    Tape tape = new Tape();
    Variable out = Mean.apply(tape, x);
    assertEquals(-7f, out.value().item());
    tape.backward(out);
    AllClose.check("dX", new float[] {1}, x.grad().data(), 0, 0);
  }

  @Test
  void averagesAlongADimensionAndSpreadsTheGradientOverIt() {
    // [[1, 2, 3], [4, 5, 6]]: row means [2, 5]; dX = dOut / 3
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    Variable out = Mean.apply(tape, x, 1, true);
    assertEquals(Shape.of(2, 1), out.shape());
    AllClose.check("means", new float[] {2, 5}, out.value().data(), 0, 0);
    backward(tape, out, 3, 6);
    AllClose.check("dX", new float[] {1, 1, 1, 2, 2, 2}, x.grad().data(), 0, 0);
  }

  @Test
  void averagesOverSeveralDimensionsAtOnce() {
    // (2, 2, 2): over dims {1, 2} each outer block's four elements: (1+2+3+4)/4, (5+6+7+8)/4
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
    Tape tape = new Tape();
    Variable out = Mean.apply(tape, x, new int[] {1, 2}, false);
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("means", new float[] {2.5f, 6.5f}, out.value().data(), 0, 0);
    // dX = dOut / 4
    backward(tape, out, 4f, 8f);
    AllClose.check("dX", new float[] {1, 1, 1, 1, 2, 2, 2, 2}, x.grad().data(), 0, 0);
  }
}
