package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reusing a fused layer's buffers never changes a result, for every cell. */
class RecurrentWorkspaceTest {

  private static final int BATCH = 2;
  private static final int STEPS = 5;
  private static final int INPUT = 3;
  private static final int HIDDEN = 4;

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void repeatedStepsGiveTheSameGradientsAsTheFirst(CellKind kind) {
    Recurrent layer = Recurrent.create(kind, INPUT, HIDDEN, 2, new SplittableRandom(1));
    Tensor x = Tensor.uniform(new SplittableRandom(2), -1f, 1f, BATCH, STEPS, INPUT);
    Tensor w = Tensor.uniform(new SplittableRandom(3), -1f, 1f, BATCH, STEPS, HIDDEN);
    float[] first = gradients(layer, x, w);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(first, gradients(layer, x, w), "step " + (i + 2));
    }
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void twoForwardsBeforeOneBackwardDoNotShareBuffers(CellKind kind) {
    Recurrent layer = Recurrent.create(kind, INPUT, HIDDEN, 1, new SplittableRandom(4));
    Tensor x1 = Tensor.uniform(new SplittableRandom(5), -1f, 1f, BATCH, STEPS, INPUT);
    Tensor x2 = Tensor.uniform(new SplittableRandom(6), -1f, 1f, BATCH, STEPS, INPUT);
    Tensor w = Tensor.uniform(new SplittableRandom(7), -1f, 1f, BATCH, STEPS, HIDDEN);
    float[] expected1 = gradients(layer, x1, w);
    float[] expected2 = gradients(layer, x2, w);

    // Both forwards first, so the second cannot reuse the buffers the first one saved.
    zeroGrad(layer);
    Tape tape1 = new Tape();
    Variable loss1 = loss(tape1, layer, x1, w);
    Tape tape2 = new Tape();
    Variable loss2 = loss(tape2, layer, x2, w);
    tape1.backward(loss1);
    assertArrayEquals(expected1, flatGrads(layer));
    zeroGrad(layer);
    tape2.backward(loss2);
    assertArrayEquals(expected2, flatGrads(layer));
  }

  private static float[] gradients(Recurrent layer, Tensor x, Tensor w) {
    zeroGrad(layer);
    Tape tape = new Tape();
    tape.backward(loss(tape, layer, x, w));
    return flatGrads(layer);
  }

  private static Variable loss(Tape tape, Recurrent layer, Tensor x, Tensor w) {
    Recurrent.Output out = layer.forward(tape, Variable.constant(x), null, Implementation.FUSED);
    return Sum.apply(tape, Mul.apply(tape, out.output(), Variable.constant(w)));
  }

  private static void zeroGrad(Recurrent layer) {
    for (Variable p : layer.parameters()) {
      p.zeroGrad();
    }
  }

  private static float[] flatGrads(Recurrent layer) {
    int size = 0;
    for (Variable p : layer.parameters()) {
      size += p.value().size();
    }
    float[] out = new float[size];
    int at = 0;
    for (Variable p : layer.parameters()) {
      float[] g = p.grad().storage();
      System.arraycopy(g, 0, out, at, g.length);
      at += g.length;
    }
    return out;
  }
}
