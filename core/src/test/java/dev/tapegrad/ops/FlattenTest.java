package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {

  @Test
  void mergesARangeOfDimensions() {
    Variable x = param("x", new float[24], 2, 3, 4);
    assertEquals(Shape.of(24), Flatten.apply(new Tape(), x, 0, -1).shape());
    assertEquals(Shape.of(6, 4), Flatten.apply(new Tape(), x, 0, 1).shape());
    assertEquals(Shape.of(2, 12), Flatten.apply(new Tape(), x, -2, -1).shape());
  }

  @Test
  void aScalarBecomesAVectorOfOne() {
    Variable s = Variable.parameter("s", Tensor.scalar(2f));
    assertEquals(Shape.of(1), Flatten.apply(new Tape(), s, 0, -1).shape());
  }

  @Test
  void theGradientIsTheIdentity() {
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    backward(tape, Flatten.apply(tape, x, 0, 1), 5, 6, 7, 8);
    AllClose.check("dX", new float[] {5, 6, 7, 8}, x.grad().data(), 0, 0);
  }

  @Test
  void rejectsAStartAfterTheEnd() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Flatten.apply(new Tape(), param("x", new float[6], 2, 3), 1, 0), "Flatten", "[2, 3]");
  }
}
