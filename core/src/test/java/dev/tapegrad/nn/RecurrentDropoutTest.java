package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Dropout;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dropout between stacked recurrent layers, {@code torch.nn.GRU/RNN/LSTM(..., dropout=p)}: layer
 * k's output sequence is dropped out before layer k+1 reads it, the last layer's output and the
 * final states never are, and a single layer is unchanged. For every cell and both
 * implementations.
 */
class RecurrentDropoutTest {

  private static final int BATCH = 2;
  private static final int STEPS = 5;
  private static final int INPUT = 3;
  private static final int HIDDEN = 4;
  private static final float P = 0.5f;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (CellKind kind : CellKind.values()) {
      for (Implementation implementation : Implementation.values()) {
        out.add(Arguments.of(kind, implementation));
      }
    }
    return out.stream();
  }

  private static Variable input() {
    return Variable.constant(Tensor.uniform(new SplittableRandom(1), -1f, 1f, BATCH, STEPS, INPUT));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void oneLayerGivesBitwiseTheSameResultWithAndWithoutDropout(CellKind kind, Implementation implementation) {
    Variable x = input();
    Recurrent layer = Recurrent.create(kind, INPUT, HIDDEN, 1, new SplittableRandom(2));
    Recurrent.Output plain = layer.forward(new Tape(), x, null, implementation);
    SplittableRandom masks = new SplittableRandom(3);
    Recurrent.Output dropped = layer.forward(new Tape(), x, null, implementation, P, masks);
    assertArrayEquals(plain.output().value().data(), dropped.output().value().data(), "output");
    assertSameStates(plain.states().get(0), dropped.states().get(0), "final state");
    assertEquals(new SplittableRandom(3).nextLong(), masks.nextLong(), "no dropout mask was drawn");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void inEvaluationModeTwoLayersDropNothingWhateverDropoutSays(CellKind kind, Implementation implementation) {
    Variable x = input();
    Recurrent stacked = Recurrent.create(kind, INPUT, HIDDEN, 2, new SplittableRandom(4));
    Recurrent.Output plain = stacked.forward(new Tape(), x, null, implementation);
    stacked.eval();
    SplittableRandom masks = new SplittableRandom(3);
    Recurrent.Output evaluated = stacked.forward(new Tape(), x, null, implementation, P, masks);
    assertArrayEquals(plain.output().value().data(), evaluated.output().value().data(), "output");
    assertEquals(new SplittableRandom(3).nextLong(), masks.nextLong(), "no dropout mask was drawn");
    stacked.train();
    Recurrent.Output trained = stacked.forward(new Tape(), x, null, implementation, P, masks);
    assertFalse(Arrays.equals(plain.output().value().data(), trained.output().value().data()),
        "back in training mode, dropout changes the output");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void twoLayersDropOutLayerZerosOutputBeforeLayerOneReadsIt(CellKind kind, Implementation implementation) {
    Variable x = input();
    Recurrent stacked = Recurrent.create(kind, INPUT, HIDDEN, 2, new SplittableRandom(4));
    // The same two layers as separate one-layer modules, with Dropout written out between them.
    Recurrent layer0 = Recurrent.create(kind, INPUT, HIDDEN, 1, new SplittableRandom(5));
    Recurrent layer1 = Recurrent.create(kind, HIDDEN, HIDDEN, 1, new SplittableRandom(5));
    copyLayer(stacked, 0, layer0);
    copyLayer(stacked, 1, layer1);
    Tape tape = new Tape();
    Recurrent.Output first = layer0.forward(tape, x, null, implementation);
    Variable dropped = Dropout.apply(tape, first.output(), P, new SplittableRandom(6));
    Recurrent.Output second = layer1.forward(tape, dropped, null, implementation);

    Recurrent.Output out = stacked.forward(new Tape(), x, null, implementation, P, new SplittableRandom(6));
    assertArrayEquals(second.output().value().data(), out.output().value().data(), "output");
    assertSameStates(first.states().get(0), out.states().get(0), "layer 0's final state, taken before the dropout");
    assertSameStates(second.states().get(0), out.states().get(1), "layer 1's final state");
    float[] plain = stacked.forward(new Tape(), x, null, implementation).output().value().data();
    assertFalse(Arrays.equals(plain, out.output().value().data()), "dropout changed layer 1's input");
  }

  @Test
  void zeroDropoutNeedsNoGeneratorAndChangesNothing() {
    Variable x = input();
    Recurrent gru = Recurrent.create(CellKind.GRU, INPUT, HIDDEN, 2, new SplittableRandom(7));
    float[] plain = gru.forward(new Tape(), x, null, Implementation.FUSED).output().value().data();
    float[] zero = gru.forward(new Tape(), x, null, Implementation.FUSED, 0f, null).output().value().data();
    assertArrayEquals(plain, zero);
  }

  @Test
  void rejectsADropoutOutsideZeroToOneNamingTheCellEvenWithOneLayer() {
    Variable x = input();
    SplittableRandom random = new SplittableRandom(8);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Recurrent.create(CellKind.GRU, INPUT, HIDDEN, 1,
        random).forward(new Tape(), x, null, Implementation.REFERENCE, 1f, random), "GRU", "dropout = 1.0", "[0, 1)");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Recurrent.create(CellKind.RNN, INPUT, HIDDEN, 2,
        random).forward(new Tape(), x, null, Implementation.FUSED, -0.5f, random), "RNN", "dropout = -0.5");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Recurrent.create(CellKind.LSTM, INPUT, HIDDEN, 2,
        random).forward(new Tape(), x, null, Implementation.FUSED, Float.NaN, random), "LSTM", "dropout = NaN");
    assertThrows(NullPointerException.class, () -> Recurrent.create(CellKind.GRU, INPUT, HIDDEN, 2, random)
        .forward(new Tape(), x, null, Implementation.FUSED, 0.5f, null));
  }

  private static void assertSameStates(State expected, State actual, String what) {
    assertArrayEquals(expected.h().value().data(), actual.h().value().data(), what + ": h");
    if (expected.c() != null) {
      assertArrayEquals(expected.c().value().data(), actual.c().value().data(), what + ": c");
    }
  }

  /** Copies layer {@code k} of a stacked module into a one-layer module of the same kind. */
  private static void copyLayer(Module stacked, int k, Module single) {
    for (String name : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
      Tensor source = stacked.namedParameters().get(name + "_l" + k).value();
      single.namedParameters().get(name + "_l0").value().copyFrom(source);
    }
  }
}
