package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.State;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.rnn.train.Evaluator;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.testing.ReferenceCase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CharModelTest {

  /** The layout written down once, in parameterShapes, is the one the layers make, name for name, in order. */
  @ParameterizedTest
  @EnumSource(CellKind.class)
  void theModelsParametersAreExactlyItsLayout(CellKind cell) {
    CharModel model = CharModel.create(cell, 7, 5, 3, new SplittableRandom(1));
    Map<String, long[]> layout = CharModel.parameterShapes(cell, 7, 5, 3);
    assertEquals(new ArrayList<>(layout.keySet()), new ArrayList<>(model.namedParameters().keySet()));
    assertEquals(CharModel.OUTER_TENSORS + CharModel.TENSORS_PER_LAYER * 3, layout.size());
    model.namedParameters().forEach((name, v) -> assertArrayEquals(layout.get(name),
        Arrays.stream(v.shape().dims()).asLongStream().toArray(), name));
  }

  @Test
  void parameterNamesAreThePyTorchStateDictNames() {
    CharModel model = CharModel.create(5, 4, 2, new SplittableRandom(1));
    assertEquals(List.of("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
        "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1", "decoder.weight", "decoder.bias"),
        new ArrayList<>(model.namedParameters().keySet()));
    // encoder V×V, GRU 3H×V then 3H×H, decoder V×H
    assertEquals(List.of(5, 5), dims(model, "encoder.weight"));
    assertEquals(List.of(12, 5), dims(model, "rnn.weight_ih_l0"));
    assertEquals(List.of(12, 4), dims(model, "rnn.weight_ih_l1"));
    assertEquals(List.of(5, 4), dims(model, "decoder.weight"));
    // 25 + (60 + 48 + 12 + 12) + (48 + 48 + 12 + 12) + 20 + 5
    assertEquals(25 + 132 + 120 + 25, model.parameterCount());
  }

  /**
   * Logits, final states, loss and every gradient of the whole model against PyTorch, for each
   * cell and both implementations.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gru-small.json", "gru-2layer.json", "lstm-2layer.json", "rnn-2layer.json"})
  void matchesPyTorchReference(String file) {
    for (Implementation impl : Implementation.values()) {
      ReferenceCase ref = ReferenceCase.load(file);
      ReferenceCase.Config c = ref.config();
      CellKind cell = CellKind.parse(c.cell());
      CharModel model = CharModel.create(cell, c.vocab(), c.hidden(), c.layers(), new SplittableRandom(0));
      Map<String, Variable> params = model.namedParameters();
      assertEquals(ref.params().keySet(), params.keySet(), "the PyTorch state_dict names");
      ref.params().forEach((name, t) -> params.get(name).value().copyFrom(t));
      Tape tape = new Tape();
      CharModel.Forward f = model.forward(tape, ref.inputs(), c.batch(), c.seq(), ref.initialStates(), impl);
      Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), ref.targets());
      tape.backward(loss);
      String what = file + " " + impl;
      AllClose.check(what + " logits", ref.expectedLogits(), f.logits().value().storage(), 1e-5, 1e-6);
      AllClose.check(what + " h_final", ref.expectedHFinal(), ReferenceCase.stacked(f.state(), false), 1e-5, 1e-6);
      if (cell == CellKind.LSTM) {
        AllClose.check(what + " c_final", ref.expectedCFinal(), ReferenceCase.stacked(f.state(), true), 1e-5, 1e-6);
      }
      AllClose.check(what + " loss", new double[] {ref.expectedLoss()}, new float[] {loss.value().item()}, 1e-5, 0);
      ref.expectedGrads().forEach((name, g) -> AllClose.check(what + " " + name, g, params.get(name).grad().storage(),
          1e-5, 1e-6));
    }
  }

  /** The tape-free stepper used for sampling computes what the batched forward computes. */
  @ParameterizedTest
  @EnumSource(CellKind.class)
  void stepperMatchesTheBatchedForwardStepByStep(CellKind cell) {
    CharModel model = CharModel.create(cell, 7, 6, 2, new SplittableRandom(5));
    int[] ids = {3, 0, 6, 6, 1, 2, 5, 4};
    Tape tape = new Tape();
    CharModel.Forward f = model.forward(tape, ids, 1, ids.length, null, Implementation.FUSED);
    float[] all = f.logits().value().storage();
    CharModel.Stepper stepper = model.stepper();
    for (int t = 0; t < ids.length; t++) {
      float[] expected = new float[7];
      System.arraycopy(all, t * 7, expected, 0, 7);
      AllClose.check(cell + " step " + t, expected, stepper.step(ids[t]), 1e-5, 1e-6);
    }
  }

  /**
   * Dropout acts in the training forward pass only: with a generator it changes the logits; the
   * evaluation forward, the {@link Evaluator} and the stepper never drop anything, so they agree
   * with a model trained without dropout.
   */
  @ParameterizedTest
  @EnumSource(CellKind.class)
  void dropoutIsActiveInTrainingOnly(CellKind cell) {
    CharModel model = CharModel.create(cell, 5, 8, 2, new SplittableRandom(3));
    int[] ids = {1, 4, 0, 2, 3, 3, 1, 0};
    float[] eval = model.forward(new Tape(), ids, 1, ids.length, null, Implementation.FUSED).logits().value()
        .storage();
    float[] dropped = model.forward(new Tape(), ids, 1, ids.length, null, Implementation.FUSED, 0.5f,
        new SplittableRandom(9)).logits().value().storage();
    float[] noDrop = model.forward(new Tape(), ids, 1, ids.length, null, Implementation.FUSED, 0f, null).logits()
        .value().storage();
    assertFalse(java.util.Arrays.equals(eval, dropped), "dropout 0.5 must change the training forward pass");
    assertArrayEquals(eval, noDrop, "dropout 0 is the evaluation forward pass");
    CharModel.Stepper stepper = model.stepper();
    for (int t = 0; t < ids.length; t++) {
      float[] expected = java.util.Arrays.copyOfRange(eval, t * 5, t * 5 + 5);
      AllClose.check(cell + " stepper step " + t, expected, stepper.step(ids[t]), 1e-5, 1e-6);
    }
  }

  /** A carried state detached from one chunk feeds the next without a path back into it. */
  @Test
  void detachedStateHasTheSameValuesAndNoGradient() {
    CharModel model = CharModel.create(CellKind.LSTM, 4, 3, 2, new SplittableRandom(2));
    CharModel.Forward f = model.forward(new Tape(), new int[] {1, 2, 3}, 1, 3, null, Implementation.FUSED);
    assertEquals(2, f.state().size());
    for (State layer : f.state()) {
      State detached = layer.detach();
      assertFalse(detached.h().requiresGrad());
      assertFalse(detached.c().requiresGrad());
      assertArrayEquals(layer.h().value().storage(), detached.h().value().storage());
      assertArrayEquals(layer.c().value().storage(), detached.c().value().storage());
    }
  }

  @Test
  void rejectsIdsThatDoNotFillTheBatch() {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.forward(new Tape(), new int[] {0, 1, 2}, 2, 2, null, Implementation.FUSED));
    assertEquals("3 ids do not make 2 sequences of 2", e.getMessage());
  }

  private static List<Integer> dims(CharModel model, String name) {
    List<Integer> out = new ArrayList<>();
    for (int d : model.namedParameters().get(name).shape().dims()) {
      out.add(d);
    }
    return out;
  }
}
