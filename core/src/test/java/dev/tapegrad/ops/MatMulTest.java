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
import dev.tapegrad.tensor.Tensor;
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
    // a vector whose length is not b's K
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> MatMul.apply(new Tape(), param("a", new float[3], 3), param("b", new float[8], 4, 2)), "MatMul", "[3]",
        "[4, 2]");
    // batch dimensions 2 and 3 do not broadcast
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> MatMul.apply(new Tape(), param("a", new float[12], 2, 2, 3), param("b", new float[18], 3, 3, 2)),
        "MatMul", "[2, 2, 3]", "[3, 3, 2]", "batch");
    // a scalar operand
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> MatMul.apply(new Tape(), Variable.parameter("a", Tensor.scalar(1f)), param("b", new float[3], 3)),
        "MatMul", "[]", "[3]");
  }

  @Test
  void dotsTwoVectorsIntoAScalar() {
    // [1, 2, 3] · [4, 5, 6] = 4 + 10 + 18 = 32; dA = dOut · b, dB = dOut · a
    Variable a = param("a", new float[] {1, 2, 3}, 3);
    Variable b = param("b", new float[] {4, 5, 6}, 3);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(), out.shape());
    assertEquals(32f, out.value().item());
    backward(tape, out, 2);
    AllClose.check("dA", new float[] {8, 10, 12}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {2, 4, 6}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void multipliesAVectorByAMatrixAndRemovesThePrependedOne() {
    // [1, 2, 3] (3) · B (3×2) = [1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12] = [58, 64], shape (2)
    // dOut = [1, 2]: dA = B · dOut = [7 + 16, 9 + 20, 11 + 24] = [23, 29, 35]; dB = aᵀ dOut = a ⊗ [1, 2]
    Variable a = param("a", new float[] {1, 2, 3}, 3);
    Variable b = param("b", B, 3, 2);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("out", new float[] {58, 64}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2);
    AllClose.check("dA", new float[] {23, 29, 35}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {1, 2, 2, 4, 3, 6}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void multipliesAMatrixByAVectorAndRemovesTheAppendedOne() {
    // A (2×3) · [1, 0, −1] = [1 − 3, 4 − 6] = [−2, −2], shape (2)
    // dOut = [1, 2]: dA = dOut ⊗ b = [[1, 0, −1], [2, 0, −2]]; dB = Aᵀ dOut = [1 + 8, 2 + 10, 3 + 12]
    Variable a = param("a", A, 2, 3);
    Variable b = param("b", new float[] {1, 0, -1}, 3);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("out", new float[] {-2, -2}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2);
    AllClose.check("dA", new float[] {1, 0, -1, 2, 0, -2}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {9, 12, 15}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void multipliesBatchesOfMatricesOneByOne() {
    // batch 0: A · B = [[58, 64], [139, 154]] (as above); batch 1: I (2×2, a's second matrix padded
    // to 2×3 with a zero column) · [[1, 2], [3, 4], [5, 6]] = [[1, 2], [3, 4]]
    Variable a = param("a", new float[] {1, 2, 3, 4, 5, 6, 1, 0, 0, 0, 1, 0}, 2, 2, 3);
    Variable b = param("b", new float[] {7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}, 2, 3, 2);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(2, 2, 2), out.shape());
    AllClose.check("out", new float[] {58, 64, 139, 154, 1, 2, 3, 4}, out.value().data(), EXACT, EXACT);
    // dOut = [[1, 2], [3, 4]] in both batches; batch 0's gradients are those of
    // backwardIsTheTwoTransposedProducts; batch 1: dA = dOut · bᵀ with bᵀ = [[1, 3, 5], [2, 4, 6]]:
    // [[5, 11, 17], [11, 25, 39]]; dB = aᵀ · dOut with aᵀ = [[1, 0], [0, 1], [0, 0]]: [[1, 2], [3, 4], [0, 0]]
    backward(tape, out, 1, 2, 3, 4, 1, 2, 3, 4);
    AllClose.check("dA", new float[] {23, 29, 35, 53, 67, 81, 5, 11, 17, 11, 25, 39}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {13, 18, 17, 24, 21, 30, 1, 2, 3, 4, 0, 0}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void sumsTheGradientOfAMatrixBroadcastOverBatches() {
    // a (2, 1, 3) holds two rows [1, 2, 3] and [4, 5, 6]; b (3, 2) is shared: out (2, 1, 2) is
    // A · B row by row, [[58, 64]] and [[139, 154]], and dB sums both batches' aᵀ · dOut
    Variable a = param("a", A, 2, 1, 3);
    Variable b = param("b", B, 3, 2);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(2, 1, 2), out.shape());
    AllClose.check("out", new float[] {58, 64, 139, 154}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dB", new float[] {13, 18, 17, 24, 21, 30}, b.grad().data(), EXACT, EXACT);
    // the same with the shared operand on the left: b's transpose (2, 3) times a's rows as (2, 3, 1)
    Variable left = param("left", new float[] {7, 9, 11, 8, 10, 12}, 2, 3);
    Variable right = param("right", A, 2, 3, 1);
    Tape tape2 = new Tape();
    Variable out2 = MatMul.apply(tape2, left, right);
    assertEquals(Shape.of(2, 2, 1), out2.shape());
    AllClose.check("out2", new float[] {58, 64, 139, 154}, out2.value().data(), EXACT, EXACT);
    // d(left) = Σ_i dOut_i · right_iᵀ: [1, 2]ᵀ[1, 2, 3] + [3, 4]ᵀ[4, 5, 6] = dBᵀ above
    backward(tape2, out2, 1, 2, 3, 4);
    AllClose.check("dLeft", new float[] {13, 17, 21, 18, 24, 30}, left.grad().data(), EXACT, EXACT);
  }

  @Test
  void broadcastsBatchDimensionsOfSizeOneAgainstEachOther() {
    // (2, 1, 1, 1) · (3, 1, 1) → (2, 3, 1, 1): out[i, j] = a[i] · b[j], and each operand's gradient
    // sums over the other's batch: dA[i] = Σ_j b[j], dB[j] = Σ_i a[i] (with dOut all ones)
    Variable a = param("a", new float[] {2, 3}, 2, 1, 1, 1);
    Variable b = param("b", new float[] {1, 10, 100}, 3, 1, 1);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(2, 3, 1, 1), out.shape());
    AllClose.check("out", new float[] {2, 20, 200, 3, 30, 300}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 1, 1, 1, 1, 1);
    AllClose.check("dA", new float[] {111, 111}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {5, 5, 5}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void givesPyTorchsShapesForEveryRankCombination() {
    assertEquals(Shape.of(2, 3, 5), shapeOf(new int[] {2, 3, 4}, new int[] {2, 4, 5}));
    assertEquals(Shape.of(2, 5), shapeOf(new int[] {4}, new int[] {2, 4, 5}));
    assertEquals(Shape.of(2, 3), shapeOf(new int[] {2, 3, 4}, new int[] {4}));
    assertEquals(Shape.of(2, 5, 3, 6), shapeOf(new int[] {2, 1, 3, 4}, new int[] {5, 4, 6}));
    assertEquals(Shape.of(7, 3, 5), shapeOf(new int[] {3, 4}, new int[] {7, 4, 5}));
    assertEquals(Shape.of(7, 3, 5), shapeOf(new int[] {7, 3, 4}, new int[] {1, 4, 5}));
  }

  @Test
  void aZeroSizeInnerDimensionGivesZerosAndAZeroSizeOuterOneNothing() {
    // (2, 0)·(0, 3): every sum is empty, so out is (2, 3) zeros, as torch.matmul; (0, 4)·(4, 2) is (0, 2)
    Variable a = param("a", new float[0], 2, 0);
    Variable b = param("b", new float[0], 0, 3);
    Tape tape = new Tape();
    Variable out = MatMul.apply(tape, a, b);
    assertEquals(Shape.of(2, 3), out.shape());
    AllClose.check("out", new float[6], out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4, 5, 6);
    assertEquals(Shape.of(0, 2), shapeOf(new int[] {0, 4}, new int[] {4, 2}));
    assertEquals(Shape.of(0, 3, 2), shapeOf(new int[] {0, 3, 4}, new int[] {0, 4, 2}));
  }

  private static Shape shapeOf(int[] a, int[] b) {
    return MatMul.apply(new Tape(), constant(new float[Shape.of(a).size()], a),
        constant(new float[Shape.of(b).size()], b)).shape();
  }
}
