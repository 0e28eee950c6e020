package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Reusing the fused GRU's buffers never changes a result. */
class GruWorkspaceTest {

  private static final int BATCH = 2;
  private static final int STEPS = 5;
  private static final int INPUT = 3;
  private static final int HIDDEN = 4;

  @Test
  void repeatedStepsGiveTheSameGradientsAsTheFirst() {
    Gru gru = Gru.create(INPUT, HIDDEN, 2, new SplittableRandom(1));
    Tensor x = Tensor.uniform(new SplittableRandom(2), -1f, 1f, BATCH, STEPS, INPUT);
    Tensor w = Tensor.uniform(new SplittableRandom(3), -1f, 1f, BATCH, STEPS, HIDDEN);
    float[] first = gradients(gru, x, w);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(first, gradients(gru, x, w), "step " + (i + 2));
    }
  }

  @Test
  void twoForwardsBeforeOneBackwardDoNotShareBuffers() {
    Gru gru = Gru.create(INPUT, HIDDEN, 1, new SplittableRandom(4));
    Tensor x1 = Tensor.uniform(new SplittableRandom(5), -1f, 1f, BATCH, STEPS, INPUT);
    Tensor x2 = Tensor.uniform(new SplittableRandom(6), -1f, 1f, BATCH, STEPS, INPUT);
    Tensor w = Tensor.uniform(new SplittableRandom(7), -1f, 1f, BATCH, STEPS, HIDDEN);
    float[] expected1 = gradients(gru, x1, w);
    float[] expected2 = gradients(gru, x2, w);

    // Both forwards first, so the second cannot reuse the buffers the first one saved.
    zeroGrad(gru);
    Tape tape1 = new Tape();
    Variable loss1 = loss(tape1, gru, x1, w);
    Tape tape2 = new Tape();
    Variable loss2 = loss(tape2, gru, x2, w);
    tape1.backward(loss1);
    assertArrayEquals(expected1, flatGrads(gru));
    zeroGrad(gru);
    tape2.backward(loss2);
    assertArrayEquals(expected2, flatGrads(gru));
  }

  private static float[] gradients(Gru gru, Tensor x, Tensor w) {
    zeroGrad(gru);
    Tape tape = new Tape();
    tape.backward(loss(tape, gru, x, w));
    return flatGrads(gru);
  }

  private static Variable loss(Tape tape, Gru gru, Tensor x, Tensor w) {
    Gru.Output out = gru.forward(tape, Variable.constant(x), null, Gru.Implementation.FUSED);
    return Sum.apply(tape, Mul.apply(tape, out.output(), Variable.constant(w)));
  }

  private static void zeroGrad(Gru gru) {
    for (Variable p : gru.parameters()) {
      p.zeroGrad();
    }
  }

  private static float[] flatGrads(Gru gru) {
    int size = 0;
    for (Variable p : gru.parameters()) {
      size += p.value().size();
    }
    float[] out = new float[size];
    int at = 0;
    for (Variable p : gru.parameters()) {
      float[] g = p.grad().data();
      System.arraycopy(g, 0, out, at, g.length);
      at += g.length;
    }
    return out;
  }
}
