package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Gru.Implementation;
import dev.tapegrad.ops.Dropout;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dropout between stacked recurrent layers, {@code torch.nn.GRU/RNN/LSTM(..., dropout=p)}: layer
 * k's output sequence is dropped out before layer k+1 reads it, the last layer's output and the
 * final states never are, and a single layer is unchanged.
 */
class RecurrentDropoutTest {

  private static final int BATCH = 2;
  private static final int STEPS = 5;
  private static final int INPUT = 3;
  private static final int HIDDEN = 4;
  private static final float P = 0.5f;

  private static Variable input() {
    return Variable.constant(Tensor.uniform(new SplittableRandom(1), -1f, 1f, BATCH, STEPS, INPUT));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Implementation.class)
  void oneLayerGivesBitwiseTheSameResultWithAndWithoutDropout(Implementation implementation) {
    Variable x = input();
    Gru gru = Gru.create(INPUT, HIDDEN, 1, new SplittableRandom(2));
    Gru.Output gruPlain = gru.forward(new Tape(), x, null, implementation);
    SplittableRandom gruMasks = new SplittableRandom(3);
    Gru.Output gruDropped = gru.forward(new Tape(), x, null, implementation, P, gruMasks);
    assertArrayEquals(gruPlain.output().value().data(), gruDropped.output().value().data(), "GRU output");
    assertArrayEquals(gruPlain.hidden().get(0).value().data(), gruDropped.hidden().get(0).value().data(), "GRU h_n");
    assertUntouched(gruMasks, 3);

    Rnn rnn = Rnn.create(INPUT, HIDDEN, 1, new SplittableRandom(2));
    Rnn.Output rnnPlain = rnn.forward(new Tape(), x, null, implementation);
    SplittableRandom rnnMasks = new SplittableRandom(3);
    Rnn.Output rnnDropped = rnn.forward(new Tape(), x, null, implementation, P, rnnMasks);
    assertArrayEquals(rnnPlain.output().value().data(), rnnDropped.output().value().data(), "RNN output");
    assertArrayEquals(rnnPlain.hidden().get(0).value().data(), rnnDropped.hidden().get(0).value().data(), "RNN h_n");
    assertUntouched(rnnMasks, 3);

    Lstm lstm = Lstm.create(INPUT, HIDDEN, 1, new SplittableRandom(2));
    Lstm.Output lstmPlain = lstm.forward(new Tape(), x, null, null, implementation);
    SplittableRandom lstmMasks = new SplittableRandom(3);
    Lstm.Output lstmDropped = lstm.forward(new Tape(), x, null, null, implementation, P, lstmMasks);
    assertArrayEquals(lstmPlain.output().value().data(), lstmDropped.output().value().data(), "LSTM output");
    assertArrayEquals(lstmPlain.hidden().get(0).value().data(), lstmDropped.hidden().get(0).value().data(),
        "LSTM h_n");
    assertArrayEquals(lstmPlain.cell().get(0).value().data(), lstmDropped.cell().get(0).value().data(), "LSTM c_n");
    assertUntouched(lstmMasks, 3);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Implementation.class)
  void twoLayerGruDropsOutLayerZerosOutputBeforeLayerOneReadsIt(Implementation implementation) {
    Variable x = input();
    Gru stacked = Gru.create(INPUT, HIDDEN, 2, new SplittableRandom(4));
    // The same two layers as separate one-layer GRUs, with Dropout written out between them.
    Gru layer0 = Gru.create(INPUT, HIDDEN, 1, new SplittableRandom(5));
    Gru layer1 = Gru.create(HIDDEN, HIDDEN, 1, new SplittableRandom(5));
    copyLayer(stacked, 0, layer0);
    copyLayer(stacked, 1, layer1);
    Tape tape = new Tape();
    Gru.Output first = layer0.forward(tape, x, null, implementation);
    Variable dropped = Dropout.apply(tape, first.output(), P, new SplittableRandom(6));
    Gru.Output second = layer1.forward(tape, dropped, null, implementation);

    Gru.Output out = stacked.forward(new Tape(), x, null, implementation, P, new SplittableRandom(6));
    assertArrayEquals(second.output().value().data(), out.output().value().data(), "output");
    assertArrayEquals(first.hidden().get(0).value().data(), out.hidden().get(0).value().data(),
        "layer 0's final state is taken before the dropout");
    assertArrayEquals(second.hidden().get(0).value().data(), out.hidden().get(1).value().data(), "layer 1 h_n");
    float[] plain = stacked.forward(new Tape(), x, null, implementation).output().value().data();
    assertFalse(Arrays.equals(plain, out.output().value().data()), "dropout changed layer 1's input");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Implementation.class)
  void twoLayerRnnDropsOutLayerZerosOutputBeforeLayerOneReadsIt(Implementation implementation) {
    Variable x = input();
    Rnn stacked = Rnn.create(INPUT, HIDDEN, 2, new SplittableRandom(4));
    Rnn layer0 = Rnn.create(INPUT, HIDDEN, 1, new SplittableRandom(5));
    Rnn layer1 = Rnn.create(HIDDEN, HIDDEN, 1, new SplittableRandom(5));
    copyLayer(stacked, 0, layer0);
    copyLayer(stacked, 1, layer1);
    Tape tape = new Tape();
    Rnn.Output first = layer0.forward(tape, x, null, implementation);
    Variable dropped = Dropout.apply(tape, first.output(), P, new SplittableRandom(6));
    Rnn.Output second = layer1.forward(tape, dropped, null, implementation);

    Rnn.Output out = stacked.forward(new Tape(), x, null, implementation, P, new SplittableRandom(6));
    assertArrayEquals(second.output().value().data(), out.output().value().data(), "output");
    assertArrayEquals(first.hidden().get(0).value().data(), out.hidden().get(0).value().data(),
        "layer 0's final state is taken before the dropout");
    assertArrayEquals(second.hidden().get(0).value().data(), out.hidden().get(1).value().data(), "layer 1 h_n");
    float[] plain = stacked.forward(new Tape(), x, null, implementation).output().value().data();
    assertFalse(Arrays.equals(plain, out.output().value().data()), "dropout changed layer 1's input");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Implementation.class)
  void twoLayerLstmDropsOutLayerZerosHiddenOutputBeforeLayerOneReadsIt(Implementation implementation) {
    Variable x = input();
    Lstm stacked = Lstm.create(INPUT, HIDDEN, 2, new SplittableRandom(4));
    Lstm layer0 = Lstm.create(INPUT, HIDDEN, 1, new SplittableRandom(5));
    Lstm layer1 = Lstm.create(HIDDEN, HIDDEN, 1, new SplittableRandom(5));
    copyLayer(stacked, 0, layer0);
    copyLayer(stacked, 1, layer1);
    Tape tape = new Tape();
    Lstm.Output first = layer0.forward(tape, x, null, null, implementation);
    Variable dropped = Dropout.apply(tape, first.output(), P, new SplittableRandom(6));
    Lstm.Output second = layer1.forward(tape, dropped, null, null, implementation);

    Lstm.Output out = stacked.forward(new Tape(), x, null, null, implementation, P, new SplittableRandom(6));
    assertArrayEquals(second.output().value().data(), out.output().value().data(), "output");
    assertArrayEquals(first.hidden().get(0).value().data(), out.hidden().get(0).value().data(),
        "layer 0's final h is taken before the dropout");
    assertArrayEquals(first.cell().get(0).value().data(), out.cell().get(0).value().data(), "layer 0 c_n");
    assertArrayEquals(second.hidden().get(0).value().data(), out.hidden().get(1).value().data(), "layer 1 h_n");
    assertArrayEquals(second.cell().get(0).value().data(), out.cell().get(1).value().data(), "layer 1 c_n");
    float[] plain = stacked.forward(new Tape(), x, null, null, implementation).output().value().data();
    assertFalse(Arrays.equals(plain, out.output().value().data()), "dropout changed layer 1's input");
  }

  @Test
  void zeroDropoutNeedsNoGeneratorAndChangesNothing() {
    Variable x = input();
    Gru gru = Gru.create(INPUT, HIDDEN, 2, new SplittableRandom(7));
    float[] plain = gru.forward(new Tape(), x, null, Implementation.FUSED).output().value().data();
    float[] zero = gru.forward(new Tape(), x, null, Implementation.FUSED, 0f, null).output().value().data();
    assertArrayEquals(plain, zero);
  }

  @Test
  void rejectsADropoutOutsideZeroToOneNamingTheLayerEvenWithOneLayer() {
    Variable x = input();
    SplittableRandom random = new SplittableRandom(8);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Gru.create(INPUT, HIDDEN, 1, random)
        .forward(new Tape(), x, null, Implementation.REFERENCE, 1f, random), "Gru", "dropout = 1.0", "[0, 1)");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Rnn.create(INPUT, HIDDEN, 2, random)
        .forward(new Tape(), x, null, Implementation.FUSED, -0.5f, random), "Rnn", "dropout = -0.5");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Lstm.create(INPUT, HIDDEN, 2, random)
        .forward(new Tape(), x, null, null, Implementation.FUSED, Float.NaN, random), "Lstm", "dropout = NaN");
    assertThrows(NullPointerException.class, () -> Gru.create(INPUT, HIDDEN, 2, random)
        .forward(new Tape(), x, null, Implementation.FUSED, 0.5f, null));
  }

  /** Asserts that a generator made with {@code seed} has not drawn anything yet. */
  private static void assertUntouched(SplittableRandom random, long seed) {
    assertEquals(new SplittableRandom(seed).nextLong(), random.nextLong(), "no dropout mask was drawn");
  }

  /** Copies layer {@code k} of a stacked module into a one-layer module of the same kind. */
  private static void copyLayer(Module stacked, int k, Module single) {
    for (String name : new String[] {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
      Tensor source = stacked.namedParameters().get(name + "_l" + k).value();
      single.namedParameters().get(name + "_l0").value().copyFrom(source);
    }
  }
}
