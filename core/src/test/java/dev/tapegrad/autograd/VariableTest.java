package dev.tapegrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class VariableTest {

  @Test
  void parameterNeedsAGradientAndConstantDoesNot() {
    Variable w = Variable.parameter("w", Tensor.zeros(2, 3));
    Variable c = Variable.constant(Tensor.zeros(2));
    assertTrue(w.requiresGrad());
    assertFalse(c.requiresGrad());
    assertEquals("w", w.name());
    assertEquals("const", c.name());
    assertEquals(Shape.of(2, 3), w.shape());
  }

  @Test
  void valueIsNotCopied() {
    Tensor t = Tensor.zeros(2);
    Variable w = Variable.parameter("w", t);
    assertSame(t, w.value());
    t.storage()[0] = 5f;
    assertEquals(5f, w.value().get(0));
  }

  @Test
  void rejectsANullValue() {
    assertThrows(NullPointerException.class, () -> Variable.parameter("w", null));
  }

  @Test
  void gradientIsNullUntilTheBufferIsFirstRequested() {
    Variable w = Variable.parameter("w", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    assertNull(w.grad());
    Tensor buffer = w.gradBuffer();
    assertEquals(Shape.of(2, 3), buffer.shape());
    assertArrayEquals(new float[6], buffer.toArray());
    assertSame(buffer, w.grad());
    assertSame(buffer, w.gradBuffer());
  }

  @Test
  void constantHasNoGradientBuffer() {
    Variable c = Variable.constant(Tensor.zeros(2));
    assertNull(c.gradBuffer());
    assertNull(c.grad());
  }

  @Test
  void zeroGradKeepsTheBufferAndClearsItsValues() {
    Variable w = Variable.parameter("w", Tensor.zeros(2));
    Tensor buffer = w.gradBuffer();
    buffer.storage()[0] = 3f;
    buffer.storage()[1] = -1f;
    w.zeroGrad();
    assertSame(buffer, w.grad());
    assertArrayEquals(new float[] {0, 0}, buffer.toArray());
  }

  @Test
  void zeroGradWithoutABufferDoesNotCreateOne() {
    Variable w = Variable.parameter("w", Tensor.zeros(2));
    w.zeroGrad();
    assertNull(w.grad());
  }

  @Test
  void backwardFillsTheGradientOfAParameter() {
    // the class javadoc's example: y = w · x with w = 2, x = 3, so dy/dw = x = 3
    Variable w = Variable.parameter("w", Tensor.of(new float[] {2f}, 1));
    Variable x = Variable.constant(Tensor.of(new float[] {3f}, 1));
    Tape tape = new Tape();
    Variable y = Mul.apply(tape, w, x);
    tape.backward(Sum.apply(tape, y));
    assertArrayEquals(new float[] {3f}, w.grad().toArray());
    assertNull(x.grad());
  }

  @Test
  void opResultNeedsAGradientOnlyWhenRecordingAndAnInputDoes() {
    Variable w = Variable.parameter("w", Tensor.zeros(1));
    Variable c = Variable.constant(Tensor.zeros(1));
    Tape tape = new Tape();
    assertTrue(tape.output("Op", Tensor.zeros(1), c, w).requiresGrad());
    assertFalse(tape.output("Op", Tensor.zeros(1), c, c).requiresGrad());
    try (Tape.NoGrad off = tape.noGrad()) {
      assertFalse(tape.output("Op", Tensor.zeros(1), w).requiresGrad());
    }
    assertEquals("Op", tape.output("Op", Tensor.zeros(1), w).name());
  }

  @Test
  void toStringShowsNameShapeAndWhetherItNeedsAGradient() {
    assertEquals("w[2, 3] requires grad", Variable.parameter("w", Tensor.zeros(2, 3)).toString());
    assertEquals("const[4]", Variable.constant(Tensor.zeros(4)).toString());
  }
}
