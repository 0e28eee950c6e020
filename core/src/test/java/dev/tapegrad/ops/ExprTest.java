package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExprTest {

  @Test
  void microgradsSanityCheckReadsAsBrieflyAndAgrees() {
    // micrograd's test_more_ops: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
    Tape tape = new Tape();
    Variable av = Variable.parameter("a", Tensor.scalar(-4f));
    Variable bv = Variable.parameter("b", Tensor.scalar(2f));
    Expr a = Expr.of(tape, av);
    Expr b = Expr.of(tape, bv);
    Expr c = a.add(b);
    Expr d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(c.add(1).sub(a));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    Expr e = c.sub(d);
    Expr f = e.pow(2);
    Expr g = f.div(2);
    g = g.add(f.rdiv(10));
    g.backward();
    assertEquals(24.7041, g.value().item(), 1e-4);
    assertEquals(138.8338, av.grad().item(), 1e-3);
    assertEquals(645.5773, bv.grad().item(), 1e-3);
  }

  @Test
  void eachMethodRecordsTheOpItNames() {
    Tape tape = new Tape();
    Expr x = Expr.of(tape, param("x", new float[] {1, 2, 3, 4}, 2, 2));
    x.add(1).sub(1).mul(2).div(2).rsub(1).rdiv(1).neg().exp().log().sqrt().relu().tanh().sigmoid().pow(2)
        .matmul(x).transpose().softmax().logSoftmax().sum(0, true).mean(1, false).reshape(1).sum().mean();
    String ops = String.join(" ", tape.entries().stream().map(Tape.Entry::op).toList());
    assertEquals("Add Sub Mul Div Sub Div Neg Exp Log Sqrt Relu Tanh Sigmoid Pow MatMul Transpose Softmax "
        + "LogSoftmax Sum Mean Reshape Sum Mean", ops);
  }

  @Test
  void theShapeMethodsRecordTheOpsTheyName() {
    Tape tape = new Tape();
    Expr x = Expr.of(tape, param("x", new float[24], 2, 3, 4));
    IntTensor two = IntTensor.of(new int[] {1, 0});
    Expr a = x.narrow(0, 0, 1).slice(1, 0, 3, 2).select(-1, 0).indexSelect(1, two);
    Expr b = x.permute(2, 0, 1).transpose(0, 1).unsqueeze(0).squeeze().expand(1, -1, -1, -1).flatten(0, 1);
    Expr c = x.gather(2, IntTensor.of(new int[12], 2, 3, 2)).scatterAdd(2, IntTensor.of(new int[2], 1, 1, 2), x)
        .view(-1).squeeze(0);
    List<Expr> parts = x.split(1, 0);
    List<Expr> halves = x.chunk(2, -1);
    Expr joined = Expr.cat(List.of(parts.get(1), parts.get(0)), 0);
    Expr stacked = Expr.stack(halves, 0);
    assertEquals(Shape.of(1, 2), a.shape());
    // (2, 3, 4) → (4, 2, 3) → (2, 4, 3) → (1, 2, 4, 3) → (2, 4, 3) → (1, 2, 4, 3) → (2, 4, 3)
    assertEquals(Shape.of(2, 4, 3), b.shape());
    assertEquals(Shape.of(12), c.shape());
    assertEquals(Shape.of(2, 3, 4), joined.shape());
    assertEquals(Shape.of(2, 2, 3, 2), stacked.shape());
    String ops = String.join(" ", tape.entries().stream().map(Tape.Entry::op).toList());
    assertEquals("Narrow Slice Select IndexSelect Permute Permute Reshape Reshape Expand Reshape Gather ScatterAdd "
        + "Reshape Reshape Narrow Narrow Narrow Narrow Cat Stack", ops);
  }

  @Test
  void computesWhatTheOpsCompute() {
    Variable x = param("x", new float[] {0.5f, -1, 2, 3}, 2, 2);
    Variable w = param("w", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Tensor direct = Tanh.apply(tape, Add.apply(tape, Mul.apply(tape, x, w), 1f)).value();
    Expr chained = Expr.of(new Tape(), x).mul(w).add(1).tanh();
    AllClose.check("chained", direct.data(), chained.value().data(), 0, 0);
    assertEquals(Shape.of(2, 2), chained.shape());
  }

  @Test
  void thenAppliesALayer() {
    Linear layer = Linear.create(2, 3, new SplittableRandom(1));
    Tape tape = new Tape();
    Variable x = param("x", new float[] {1, 2}, 1, 2);
    Expr y = Expr.of(tape, x).then(layer::forward).relu();
    assertEquals(Shape.of(1, 3), y.shape());
    assertSame(tape, y.tape());
    y.sum().backward();
    assertEquals(Shape.of(3, 2), layer.weight().grad().shape());
  }

  @Test
  void crossEntropyAndConstants() {
    Tape tape = new Tape();
    Expr logits = Expr.constant(tape, Tensor.of(new float[] {0, 0}, 1, 2));
    Variable bias = param("bias", new float[] {0, 0}, 2);
    Expr loss = logits.add(bias).crossEntropy(new int[] {1});
    assertEquals(Math.log(2), loss.value().item(), 1e-6);
    loss.backward();
    AllClose.check("dBias", new float[] {0.5f, -0.5f}, bias.grad().data(), 1e-6, 0);
    assertEquals(null, logits.grad());
  }

  @Test
  void batchedLayersAndLossesChainOnSequences() {
    // x (2, 3, 4) through a layer norm, a linear map to 2 features and a cross-entropy whose middle
    // target of each sequence is left out: each method is its op on the same tape
    Tape tape = new Tape();
    Variable x = Variable.parameter("x", Tensor.uniform(new SplittableRandom(2), -1f, 1f, 2, 3, 4));
    Variable w = Variable.parameter("w", Tensor.uniform(new SplittableRandom(3), -1f, 1f, 2, 4));
    Expr h = Expr.of(tape, x).layerNorm(new int[] {4}, null, null, 1e-5f).linear(w, null);
    assertEquals(Shape.of(2, 3, 2), h.shape());
    int[] targets = {0, -100, 1, 1, -100, 0};
    Expr loss = h.crossEntropy(targets, -100, 0.1f, Reduction.MEAN);
    Expr expected = Expr.of(new Tape(), h.variable().detach()).crossEntropy(targets, -100, 0.1f, Reduction.MEAN);
    assertEquals(expected.value().item(), loss.value().item());
    loss.backward();
    assertEquals(Shape.of(2, 4), w.grad().shape());
    // q · kᵀ over a batch: (2, 3, 4)·(2, 4, 3) → (2, 3, 3)
    Expr q = Expr.of(new Tape(), x);
    assertEquals(Shape.of(2, 3, 3), q.matmul(q.transpose()).shape());
  }

  @Test
  void regressionLossesTakeTargetsOfTheirShape() {
    Tape tape = new Tape();
    Expr p = Expr.of(tape, param("p", new float[] {1, 2, 3}, 3));
    Variable y = Variable.constant(Tensor.of(new float[] {0, 2, 5}, 3));
    // (1 + 0 + 4) / 3 and 5; −log σ(0) = ln 2, weighted 3 for a positive
    assertEquals(5f / 3, p.mseLoss(y, Reduction.MEAN).value().item(), 1e-6);
    assertEquals(5f, p.mseLoss(Expr.of(tape, y), Reduction.SUM).value().item(), 1e-6);
    Expr z = Expr.of(tape, param("z", new float[] {0}, 1));
    Variable one = Variable.constant(Tensor.of(new float[] {1}, 1));
    assertEquals(Math.log(2), z.binaryCrossEntropyWithLogits(one, Reduction.MEAN).value().item(), 1e-6);
    assertEquals(3 * Math.log(2),
        z.binaryCrossEntropyWithLogits(one, Tensor.of(new float[] {3}, 1), Reduction.SUM).value().item(), 1e-6);
  }

  @Test
  void anExpressionOfAnotherTapeIsRefused() {
    Variable w = param("w", new float[] {3}, 1);
    Expr square = Expr.of(new Tape(), w).mul(w);
    Expr other = Expr.of(new Tape(), w);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> other.mul(square), "Mul", "recorded on");
  }

  @Test
  void doubleScalarsCompileAndActAsTheirFloatRounding() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Expr e = Expr.of(new Tape(), x);
    Expr viaDouble = e.mul(2.5).add(0.1).sub(0.2).div(3.0).rsub(1.5).rdiv(0.7).pow(0.5);
    Expr viaFloat = e.mul(2.5f).add(0.1f).sub(0.2f).div(3.0f).rsub(1.5f).rdiv(0.7f).pow(0.5f);
    assertArrayEquals(viaFloat.value().toArray(), viaDouble.value().toArray());
    assertArrayEquals(Mul.apply(new Tape(), x, 2.5f).value().toArray(), Mul.apply(new Tape(), x, 2.5).value().toArray());
    assertArrayEquals(Div.apply(new Tape(), 0.7f, x).value().toArray(), Div.apply(new Tape(), 0.7, x).value().toArray());
  }

  @Test
  void backwardWithASeedGivesTheVectorJacobianProductAsPyTorch() {
    // y = x ⊙ w;  y.backward([1, 0.5])  ⇒  dw = [1 · x0, 0.5 · x1] = [3, 2], dx = [1 · w0, 0.5 · w1] = [2, 2.5]
    Variable x = param("x", new float[] {3, 4}, 2);
    Variable w = param("w", new float[] {2, 5}, 2);
    Expr y = Expr.of(new Tape(), x).mul(w);
    y.backward(Tensor.of(new float[] {1, 0.5f}, 2));
    assertArrayEquals(new float[] {3, 2}, w.grad().toArray());
    assertArrayEquals(new float[] {2, 2.5f}, x.grad().toArray());
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Expr.of(new Tape(), x).mul(w).backward(Tensor.of(new float[] {1, 1, 1}, 3)), "[3]", "[2]");
  }

  @Test
  void detachSharesTheValueAndStopsTheGradient() {
    // loss = sum(y · detach(y)) with y = 2x: d/dx = 2 · detach(y) = 4x (not 8x, which the attached product gives)
    Variable x = param("x", new float[] {1, -2}, 2);
    Expr y = Expr.of(new Tape(), x).mul(2);
    Expr d = y.detach();
    assertSame(y.value(), d.value());
    assertFalse(d.variable().requiresGrad());
    assertSame(y.tape(), d.tape());
    y.mul(d).sum().backward();
    assertArrayEquals(new float[] {4, -8}, x.grad().toArray());
  }

  @Test
  void selectionAndReductionMethodsChainLikeTheOps() {
    // masked attention weights over (2, 2) scores, causal mask [[0, 1], [0, 0]]: row 0 → [1, 0], row 1 → softmax([3, 4])
    Tape tape = new Tape();
    Expr scores = Expr.of(tape, param("scores", new float[] {1, 2, 3, 4}, 2, 2));
    Expr mask = Expr.constant(tape, Tensor.of(new float[] {0, 1, 0, 0}, 2, 2));
    Expr weights = scores.maskedFill(mask, Float.NEGATIVE_INFINITY).softmax(-1);
    float e = (float) (1 / (1 + Math.E));
    AllClose.check("weights", new float[] {1, 0, e, 1 - e}, weights.value().data(), 1e-6, 1e-7);
    // the predictions argmax(-1) = [0, 1] compared with [0, 0]: accuracy 1/2
    assertEquals(0.5f, weights.argmax(-1, false).eq(Expr.constant(tape, Tensor.of(new float[] {0, 0}, 2))).mean()
        .value().item());
    assertEquals(4f, scores.amax(new int[] {0, 1}, false).value().item());
    assertEquals(Shape.of(2), scores.var(new int[] {0}, 0, false).shape());
    assertEquals(1f, scores.clamp(0, 1).abs().min().value().item());
  }
}
