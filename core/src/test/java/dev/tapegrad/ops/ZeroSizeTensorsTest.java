package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ops over tensors with a dimension of size 0 give PyTorch's empty results or identities, and back-propagate. */
class ZeroSizeTensorsTest {

  @Test
  void theSumOfNothingIsZeroAndBackwardReachesTheEmptyInput() {
    Variable x = param("x", new float[0], 2, 0);
    Tape tape = new Tape();
    Variable total = Sum.apply(tape, x);
    assertEquals(0f, total.value().item());
    tape.backward(total);
    assertEquals(Shape.of(2, 0), x.grad().shape());
  }

  @Test
  void sumsAlongAnEmptyDimensionAreZerosAndMeansAreNaN() {
    // x (2, 0): summing the empty dimension leaves two sums of nothing, 0; their means are 0/0
    Variable x = param("x", new float[0], 2, 0);
    AllClose.check("sum", new float[] {0, 0}, Sum.apply(new Tape(), x, 1, false).value().data(), 0, 0);
    float[] means = Mean.apply(new Tape(), x, -1, false).value().data();
    assertTrue(Float.isNaN(means[0]) && Float.isNaN(means[1]), "means of nothing are NaN, as in PyTorch");
    assertEquals(Shape.of(0), Sum.apply(new Tape(), x, 0, false).shape());
  }

  @Test
  void elementwiseOpsBroadcastToAnEmptyResult() {
    // (0, 3) + (3) is (0, 3); the bias receives a gradient of zeros
    Variable a = param("a", new float[0], 0, 3);
    Variable b = param("b", new float[] {1, 2, 3}, 3);
    Tape tape = new Tape();
    Variable out = Add.apply(tape, Mul.apply(tape, a, b), b);
    assertEquals(Shape.of(0, 3), out.shape());
    tape.backward(Sum.apply(tape, out));
    AllClose.check("dB", new float[] {0, 0, 0}, b.grad().data(), 0, 0);
  }

  @Test
  void shapeOpsPassEmptyTensorsThrough() {
    Variable x = param("x", new float[0], 0, 2);
    Tape tape = new Tape();
    Variable joined = Cat.apply(tape, List.of(x, param("y", new float[] {1, 2}, 1, 2)), 0);
    assertEquals(Shape.of(1, 2), joined.shape());
    assertEquals(Shape.of(2, 0), Permute.apply(tape, x, 1, 0).shape());
    assertEquals(Shape.of(3, 0, 2), Expand.apply(tape, x, 3, -1, -1).shape());
    assertEquals(Shape.of(0, 2), Softmax.apply(tape, x).shape());
    assertEquals(Shape.of(2, 0), Transpose.apply(tape, x).shape());
    tape.backward(Sum.apply(tape, joined));
    assertEquals(Shape.of(0, 2), x.grad().shape());
  }
}
