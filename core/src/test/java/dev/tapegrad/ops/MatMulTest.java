package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class MatMulTest {

  private static final double EXACT = 0;

  // a = [[1, 2, 3], [4, 5, 6]] (2×3), b = [[7, 8], [9, 10], [11, 12]] (3×2)
  private static final float[] A = {1, 2, 3, 4, 5, 6};
  private static final float[] B = {7, 8, 9, 10, 11, 12};

  @Test
  void multipliesRowsByColumns() {
    // out[0] = [1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12] = [58, 64]
    // out[1] = [4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12] = [139, 154]
    Variable out = MatMul.apply(new Tape(), param("a", A, 2, 3), param("b", B, 3, 2));
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("out", new float[] {58, 64, 139, 154}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void backwardIsTheTwoTransposedProducts() {
    // dOut = [[1, 2], [3, 4]]
    // dA = dOut · bᵀ, bᵀ = [[7, 9, 11], [8, 10, 12]]:
    //   row 0 = 1·[7, 9, 11] + 2·[8, 10, 12] = [23, 29, 35]
    //   row 1 = 3·[7, 9, 11] + 4·[8, 10, 12] = [53, 67, 81]
    // dB = aᵀ · dOut, aᵀ = [[1, 4], [2, 5], [3, 6]]:
    //   row 0 = 1·[1, 2] + 4·[3, 4] = [13, 18]
    //   row 1 = 2·[1, 2] + 5·[3, 4] = [17, 24]
    //   row 2 = 3·[1, 2] + 6·[3, 4] = [21, 30]
    Variable a = param("a", A, 2, 3);
    Variable b = param("b", B, 3, 2);
    Tape tape = new Tape();
    backward(tape, MatMul.apply(tape, a, b), 1, 2, 3, 4);
    AllClose.check("dA", new float[] {23, 29, 35, 53, 67, 81}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {13, 18, 17, 24, 21, 30}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = x · x for x = [[1, 2], [3, 4]] is [[7, 10], [15, 22]].
    // With dOut = 1 everywhere: dX = dOut · xᵀ + xᵀ · dOut.
    //   dOut · xᵀ: every row is x's row sums [3, 7]
    //   xᵀ · dOut: row i is x's column sum i repeated: [[4, 4], [6, 6]]
    //   dX = [[7, 11], [9, 13]]; check dX[0,0] by hand: ∂/∂x00 Σ(x·x) = 2·x00 + x01 + x10 = 7
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, x, x);
    AllClose.check("out", new float[] {7, 10, 15, 22}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 1, 1, 1);
    AllClose.check("dX", new float[] {7, 11, 9, 13}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void handlesAOneByOneProduct() {
    // [[3]] · [[4]] = [[12]]; dA = dOut · b = 4, dB = a · dOut = 3
    Variable a = param("a", new float[] {3}, 1, 1);
    Variable b = param("b", new float[] {4}, 1, 1);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(12f, out.value().item());
    backward(tape, out, 1);
    assertEquals(4f, a.grad().item());
    assertEquals(3f, b.grad().item());
  }

  @Test
  void skipsTheGradientOfAConstantOperand() {
    Variable a = param("a", A, 2, 3);
    Variable b = constant(B, 3, 2);
    Tape tape = new Tape();
    backward(tape, MatMul.apply(tape, a, b), 1, 2, 3, 4);
    AllClose.check("dA", new float[] {23, 29, 35, 53, 67, 81}, a.grad().data(), EXACT, EXACT);
    assertNull(b.grad());
  }

  @Test
  void rejectsMismatchedShapesWithBothShapesInMessage() {
    // K differs: 3 columns against 4 rows
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> MatMul.apply(new Tape(), param("a", new float[6], 2, 3), param("b", new float[8], 4, 2)), "MatMul",
        "[2, 3]", "[4, 2]");
    // a 1-D operand
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> MatMul.apply(new Tape(), param("a", new float[3], 3), param("b", new float[6], 3, 2)), "MatMul", "[3]",
        "[3, 2]");
  }
}
