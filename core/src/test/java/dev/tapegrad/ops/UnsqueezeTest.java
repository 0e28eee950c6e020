package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class UnsqueezeTest {

  @Test
  void insertsASizeOneDimensionAnywhere() {
    Variable x = param("x", new float[6], 2, 3);
    assertEquals(Shape.of(1, 2, 3), Unsqueeze.apply(new Tape(), x, 0).shape());
    assertEquals(Shape.of(2, 1, 3), Unsqueeze.apply(new Tape(), x, 1).shape());
    assertEquals(Shape.of(2, 3, 1), Unsqueeze.apply(new Tape(), x, -1).shape());
    assertEquals(Shape.of(1, 2, 3), Unsqueeze.apply(new Tape(), x, -3).shape());
  }

  @Test
  void theGradientIsTheIdentity() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    backward(tape, Unsqueeze.apply(tape, x, 0), 3, 4);
    AllClose.check("dX", new float[] {3, 4}, x.grad().data(), 0, 0);
  }

  @Test
  void rejectsADimensionOutOfRange() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Unsqueeze.apply(new Tape(), param("x", new float[6], 2, 3), 3), "Unsqueeze", "dimension 3", "[2, 3]");
  }
}
