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

class SumTest {

  @Test
  void addsEveryElementIntoAScalar() {
    // 1 + 2 + 3 + 4 = 10
    Variable out = Sum.apply(new Tape(), param("x", new float[] {1, 2, 3, 4}, 2, 2));
    assertEquals(0, out.shape().rank());
    assertEquals(10f, out.value().item());
  }

  @Test
  void accumulatesInDouble() {
    // in float, 2^24 + 1 rounds back to 2^24; in double the three terms sum to 2^24 + 2 exactly
    Variable out = Sum.apply(new Tape(), param("x", new float[] {16777216f, 1f, 1f}, 3));
    assertEquals(16777218f, out.value().item());
  }

  @Test
  void backwardSpreadsTheUpstreamGradientToEveryElement() {
    // out = Σ x_i  ⇒  dX_i = dOut = 3
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    backward(tape, Sum.apply(tape, x), 3f);
    AllClose.check("dX", new float[] {3, 3, 3, 3}, x.grad().data(), 0, 0);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = Σ x + Σ x  ⇒  dX = 2
    Variable x = param("x", new float[] {5, 6}, 2);
    Tape tape = new Tape();
    tape.backward(Add.apply(tape, Sum.apply(tape, x), Sum.apply(tape, x)));
    AllClose.check("dX", new float[] {2, 2}, x.grad().data(), 0, 0);
  }

  @Test
  void sumsAlongADimensionKeepingItOrNot() {
    // [[1, 2, 3], [4, 5, 6]]
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    Variable rows = Sum.apply(tape, x, -1, true);
    assertEquals(Shape.of(2, 1), rows.shape());
    AllClose.check("row sums", new float[] {6, 15}, rows.value().data(), 0, 0);
    Variable cols = Sum.apply(tape, x, 0, false);
    assertEquals(Shape.of(3), cols.shape());
    AllClose.check("column sums", new float[] {5, 7, 9}, cols.value().data(), 0, 0);
    // each element receives the gradient of the sum it went into
    backward(tape, cols, 1, 2, 3);
    AllClose.check("dX", new float[] {1, 2, 3, 1, 2, 3}, x.grad().data(), 0, 0);
  }

  @Test
  void sumsTheMiddleDimensionOfARankThreeTensor() {
    // x[o, k, i] = 100·o + 10·k + i for a 2×3×2 tensor: Σ_k = 300·o + 30 + 3i
    float[] values = new float[12];
    for (int o = 0; o < 2; o++) {
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 2; i++) {
          values[(o * 3 + k) * 2 + i] = 100 * o + 10 * k + i;
        }
      }
    }
    Variable x = param("x", values, 2, 3, 2);
    Tape tape = new Tape();
    Variable out = Sum.apply(tape, x, 1, false);
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("sums", new float[] {30, 33, 330, 333}, out.value().data(), 0, 0);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dX", new float[] {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, x.grad().data(), 0, 0);
  }

  @Test
  void aVectorSummedAlongItsOnlyDimensionIsAScalar() {
    Variable out = Sum.apply(new Tape(), param("x", new float[] {1, 2}, 2), 0, false);
    assertEquals(0, out.shape().rank());
    assertEquals(3f, out.value().item());
  }

  @Test
  void refusesADimensionOutOfRange() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sum.apply(new Tape(), param("x", new float[6], 2, 3), 2, false), "Sum", "dimension 2", "[2, 3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sum.apply(new Tape(), param("x", new float[6], 2, 3), -3, false), "dimension -3");
  }

  @Test
  void sumsOverSeveralDimensionsAtOnce() {
    // (2, 2, 3) = [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]; over dims {0, 2}: middle 0 gathers
    // 1+2+3+7+8+9 = 30, middle 1 gathers 4+5+6+10+11+12 = 48
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
    Tape tape = new Tape();
    Variable out = Sum.apply(tape, x, new int[] {-1, 0}, false);
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("sums", new float[] {30, 48}, out.value().data(), 0, 0);
    assertEquals(Shape.of(1, 2, 1), Sum.apply(new Tape(), x, new int[] {0, 2}, true).shape());
    // each element receives the gradient of the sum it went into
    backward(tape, out, 1f, 2f);
    AllClose.check("dX", new float[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2}, x.grad().data(), 0, 0);
  }

  @Test
  void oneDimensionInAnArrayIsTheOneDimensionForm() {
    Variable x = param("x", new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 2, 3);
    AllClose.check("same bits", Sum.apply(new Tape(), x, 0, true).value().data(),
        Sum.apply(new Tape(), x, new int[] {0}, true).value().data(), 0, 0);
  }

  @Test
  void anEmptyDimensionListSumsEverything() {
    Variable out = Sum.apply(new Tape(), param("x", new float[] {1, 2, 3, 4}, 2, 2), new int[0], true);
    assertEquals(Shape.of(1, 1), out.shape());
    assertEquals(10f, out.value().data()[0]);
  }

  @Test
  void rejectsARepeatedDimensionNamingTheShape() {
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Sum.apply(new Tape(), x, new int[] {0, -2}, false),
        "Sum", "twice", "[2, 2]");
  }
}
