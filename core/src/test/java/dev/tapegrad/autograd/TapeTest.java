package dev.tapegrad.autograd;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TapeTest {

  private static final double EXACT = 0;

  @Test
  void recordsOpsInExecutionOrder() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable y = Tanh.apply(tape, x);
    Variable z = Mul.apply(tape, y, x);
    Sum.apply(tape, z);
    List<String> ops = new ArrayList<>();
    for (Tape.Entry e : tape.entries()) {
      ops.add(e.op());
    }
    assertEquals(List.of("Tanh", "Mul", "Sum"), ops);
    assertEquals(List.of(y, x), tape.entries().get(1).inputs());
  }

  @Test
  void tapeReplaysInReverseOrder() {
    List<String> replayed = new ArrayList<>();
    Variable x = param("x", new float[] {1}, 1);
    Tape tape = new Tape();
    Variable first = tape.output("first", Tensor.zeros(1), x);
    tape.record("first", first, dOut -> replayed.add("first"), x);
    Variable second = tape.output("second", Tensor.zeros(1), first);
    tape.record("second", second, dOut -> {
      replayed.add("second");
      first.gradBuffer().data()[0] += dOut.data()[0];
    }, first);
    Variable third = tape.output("third", Tensor.zeros(1), second);
    tape.record("third", third, dOut -> {
      replayed.add("third");
      second.gradBuffer().data()[0] += dOut.data()[0];
    }, second);
    tape.backward(third);
    assertEquals(List.of("third", "second", "first"), replayed);
  }

  @Test
  void skipsEntriesWhoseOutputReceivedNoGradient() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable unused = tape.output("unused", Tensor.zeros(2), x);
    tape.record("unused", unused, dOut -> {
      throw new AssertionError("a branch that does not reach the loss must not run backward");
    }, x);
    tape.backward(Sum.apply(tape, x));
    assertNull(unused.grad());
    AllClose.check("dx", new float[] {1, 1}, x.grad().toArray(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // loss = Σ (x ⊙ x + x): the diamond x → {Mul, Add} → Add.
    // x = [3, −2]: dloss/dx = 2x + 1 = [7, −3]
    Variable x = param("x", new float[] {3, -2}, 2);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Add.apply(tape, Mul.apply(tape, x, x), x));
    // loss = (9 + 3) + (4 − 2) = 14
    assertEquals(14f, loss.value().item());
    tape.backward(loss);
    AllClose.check("dx", new float[] {7, -3}, x.grad().toArray(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesThroughATwoLevelDiamond() {
    // u = x + x = 2x; loss = Σ u ⊙ x = Σ 2x², so dloss/dx = 4x; x = [1, −3] gives [4, −12]
    Variable x = param("x", new float[] {1, -3}, 2);
    Tape tape = new Tape();
    Variable u = Add.apply(tape, x, x);
    Variable loss = Sum.apply(tape, Mul.apply(tape, u, x));
    tape.backward(loss);
    AllClose.check("dx", new float[] {4, -12}, x.grad().toArray(), EXACT, EXACT);
    // the intermediate u received dloss/du = x
    AllClose.check("du", new float[] {1, -3}, u.grad().toArray(), EXACT, EXACT);
  }

  @Test
  void noGradScopeRecordsNothing() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable y;
    try (Tape.NoGrad off = tape.noGrad()) {
      assertFalse(tape.isRecording());
      y = Tanh.apply(tape, x);
    }
    assertFalse(y.requiresGrad());
    assertTrue(tape.entries().isEmpty());
    assertTrue(tape.isRecording());
    // the values are still computed: tanh(1) = 0.761594…, tanh(2) = 0.964027…
    AllClose.check("y", new double[] {Math.tanh(1), Math.tanh(2)}, y.value().data(), 1e-6, 0);
  }

  @Test
  void noGradScopesNest() {
    Tape tape = new Tape();
    Tape.NoGrad outer = tape.noGrad();
    Tape.NoGrad inner = tape.noGrad();
    inner.close();
    assertFalse(tape.isRecording(), "closing the inner scope must not resume recording");
    inner.close();
    assertFalse(tape.isRecording(), "closing a scope twice must not close the outer one");
    outer.close();
    assertTrue(tape.isRecording());
  }

  @Test
  void backwardTwiceWithoutRetainThrowsIllegalStateExceptionSayingSo() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, x, x));
    tape.backward(loss);
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "already called",
        "retain = true", "backward(output, seed, true)");
  }

  @Test
  void backwardReleasesTheTape() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    tape.backward(Sum.apply(tape, Tanh.apply(tape, x)));
    assertTrue(tape.entries().isEmpty());
    assertFalse(tape.isRecording());
    // an op that would need recording is refused; inside noGrad it still computes, recording nothing
    assertThrowsWithMessage(IllegalStateException.class, () -> Tanh.apply(tape, x), "Tanh", "released", "new Tape");
    try (Tape.NoGrad off = tape.noGrad()) {
      Variable y = Tanh.apply(tape, x);
      assertFalse(y.requiresGrad());
    }
    assertTrue(tape.entries().isEmpty());
  }

  @Test
  void recordingOnAReleasedTapeThrows() {
    Variable x = param("x", new float[] {1}, 1);
    Tape tape = new Tape();
    tape.backward(Sum.apply(tape, x));
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.record("Op", x, dOut -> { }, x), "new Tape");
  }

  @Test
  void retainAllowsASecondBackwardThatAccumulates() {
    // loss = Σ x ⊙ x, dloss/dx = 2x = [6, −4] for x = [3, −2]; two passes accumulate [12, −8]
    Variable x = param("x", new float[] {3, -2}, 2);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, x, x));
    tape.backward(loss, Tensor.scalar(1f), true);
    AllClose.check("dx after one pass", new float[] {6, -4}, x.grad().toArray(), EXACT, EXACT);
    assertEquals(2, tape.entries().size());
    tape.backward(loss, Tensor.scalar(1f), false);
    AllClose.check("dx after two passes", new float[] {12, -8}, x.grad().toArray(), EXACT, EXACT);
    assertTrue(tape.entries().isEmpty());
  }

  @Test
  void retainedTapeCanBackPropagateASecondOutput() {
    // y1 = Σ x ⊙ x and y2 = Σ tanh(x ⊙ x) share the entry x ⊙ x. With x = [0.5]:
    // dy1/dx = 2x = 1; dy2/dx = (1 − tanh²(x²)) · 2x = 1 − tanh²(0.25) = 0.940014…
    Variable x = param("x", new float[] {0.5f}, 1);
    Tape tape = new Tape();
    Variable square = Mul.apply(tape, x, x);
    Variable y1 = Sum.apply(tape, square);
    Variable y2 = Sum.apply(tape, Tanh.apply(tape, square));
    tape.backward(y1, Tensor.scalar(1f), true);
    tape.backward(y2, Tensor.scalar(1f), false);
    double t = Math.tanh(0.25);
    AllClose.check("dx", new double[] {1 + (1 - t * t)}, x.grad().data(), 1e-6, 0);
  }

  @Test
  void theNonScalarMessageNamesOverloadsThatExist() throws NoSuchMethodException {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable y = Tanh.apply(tape, x);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> tape.backward(y), "backward(output, seed, false)",
        "Expr: backward(seed)");
    // the two it names
    Tape.class.getMethod("backward", Variable.class, Tensor.class, boolean.class);
    dev.tapegrad.ops.Expr.class.getMethod("backward", Tensor.class);
  }

  @Test
  void backwardOnANonScalarWithoutASeedThrows() {
    Variable x = param("x", new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable y = Tanh.apply(tape, x);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> tape.backward(y), "one-element", "[2]", "seed");
    assertNull(x.grad());
  }

  @Test
  void explicitSeedWeightsEveryOutputElement() {
    // y = x ⊙ c with c = [2, 3]; seed [1, 10] gives dx = seed ⊙ c = [2, 30]
    Variable x = param("x", new float[] {5, 7}, 2);
    Variable c = constant(new float[] {2, 3}, 2);
    Tape tape = new Tape();
    Variable y = Mul.apply(tape, x, c);
    tape.backward(y, Tensor.of(new float[] {1, 10}, 2), false);
    AllClose.check("dx", new float[] {2, 30}, x.grad().toArray(), EXACT, EXACT);
  }

  @Test
  void rejectsASeedOfAnotherShapeNamingBothShapes() {
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    Variable y = Tanh.apply(tape, x);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> tape.backward(y, Tensor.zeros(3, 2), false),
        "[3, 2]", "[2, 3]");
  }

  @Test
  void backwardFromAnOutputThatNeedsNoGradientThrows() {
    Variable c = constant(new float[] {1, 2}, 2);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, c);
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "does not depend");
  }

  @Test
  void rejectsRecordingAnOutputThatNeedsNoGradient() {
    Variable c = constant(new float[] {1}, 1);
    Tape tape = new Tape();
    assertThrowsWithMessage(IllegalArgumentException.class, () -> tape.record("Op", c, dOut -> { }, c), "Op");
  }

  @Test
  void gradientsAccumulateAcrossTapesUntilZeroed() {
    // each tape adds dloss/dx = 2x = [2, 4]
    Variable x = param("x", new float[] {1, 2}, 2);
    for (int i = 0; i < 2; i++) {
      Tape tape = new Tape();
      tape.backward(Sum.apply(tape, Mul.apply(tape, x, x)));
    }
    AllClose.check("dx", new float[] {4, 8}, x.grad().toArray(), EXACT, EXACT);
    x.zeroGrad();
    AllClose.check("dx", new float[] {0, 0}, x.grad().toArray(), EXACT, EXACT);
  }

  @Test
  void entriesAreReadOnly() {
    Variable x = param("x", new float[] {1}, 1);
    Tape tape = new Tape();
    Sum.apply(tape, x);
    assertThrows(UnsupportedOperationException.class, () -> tape.entries().clear());
    assertThrows(UnsupportedOperationException.class, () -> tape.entries().get(0).inputs().clear());
  }

  @Test
  void onReleaseRunsWhenBackwardReleasesTheTapeAndNotBefore() {
    Variable x = param("x", new float[] {2f}, 1);
    Tape tape = new Tape();
    Variable y = Mul.apply(tape, x, x);
    List<String> events = new ArrayList<>();
    tape.onRelease(() -> events.add("released"));
    tape.backward(y, Tensor.of(new float[] {1f}, 1), true);
    assertEquals(List.of(), events, "a retained tape keeps its saved values");
    tape.backward(y, Tensor.of(new float[] {1f}, 1), false);
    assertEquals(List.of("released"), events);
    // after release, a new action runs at once
    tape.onRelease(() -> events.add("late"));
    assertEquals(List.of("released", "late"), events);
  }
}
