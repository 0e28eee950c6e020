package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class MaskedFillTest {

  @Test
  void aCausalMaskBeforeASoftmaxGivesNoWeightToTheFuture() {
    // scores (2, 2, 2), mask (2, 2) = [[0, 1], [0, 0]] broadcast over the batch: position 0 sees only itself
    Variable scores = param("scores", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
    Variable causal = constant(new float[] {0, 1, 0, 0}, 2, 2);
    Tape tape = new Tape();
    Variable masked = MaskedFill.apply(tape, scores, causal, Float.NEGATIVE_INFINITY);
    assertEquals(Shape.of(2, 2, 2), masked.shape());
    assertEquals(Float.NEGATIVE_INFINITY, masked.value().data()[1]);
    Variable weights = Softmax.apply(tape, masked, -1);
    AllClose.check("first rows", new float[] {1, 0}, new float[] {weights.value().data()[0],
        weights.value().data()[1]}, 0, 0);
    // the filled elements receive no gradient
    backward(tape, masked, 1, 1, 1, 1, 1, 1, 1, 1);
    AllClose.check("dScores", new float[] {1, 0, 1, 1, 1, 0, 1, 1}, scores.grad().data(), 0, 0);
  }

  @Test
  void xBroadcastAgainstALargerMaskSumsItsGradient() {
    // x (1) = [5], mask (3) = [1, 0, 0] → [−1, 5, 5]; dX = 0 + 2 + 3
    Variable x = param("x", new float[] {5}, 1);
    Tape tape = new Tape();
    Variable out = MaskedFill.apply(tape, x, constant(new float[] {1, 0, 0}, 3), -1);
    AllClose.check("out", new float[] {-1, 5, 5}, out.value().data(), 0, 0);
    backward(tape, out, 1, 2, 3);
    AllClose.check("dX", new float[] {5}, x.grad().data(), 0, 0);
  }
}
