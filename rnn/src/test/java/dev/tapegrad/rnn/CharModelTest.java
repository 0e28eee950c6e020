package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Gru;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.testing.ReferenceCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CharModelTest {

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

  /** Loss and every gradient of the whole model against PyTorch, with both GRU implementations. */
  @ParameterizedTest
  @ValueSource(strings = {"gru-small.json", "gru-2layer.json"})
  void matchesPyTorchReference(String file) {
    for (Gru.Implementation impl : Gru.Implementation.values()) {
      ReferenceCase ref = ReferenceCase.load(file);
      ReferenceCase.Config c = ref.config();
      CharModel model = CharModel.create(c.vocab(), c.hidden(), c.layers(), new SplittableRandom(0));
      Map<String, Variable> params = model.namedParameters();
      ref.params().forEach((name, t) -> params.get(name).value().copyFrom(t));
      List<Variable> h0 = ReferenceCase.perLayer(ref.h0());
      Tape tape = new Tape();
      CharModel.Forward f = model.forward(tape, ref.inputs(), c.batch(), c.seq(), h0, impl);
      Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), ref.targets());
      tape.backward(loss);
      AllClose.check(impl + " logits", ref.expectedLogits(), f.logits().value().data(), 1e-5, 1e-6);
      AllClose.check(impl + " loss", new double[] {ref.expectedLoss()}, new float[] {loss.value().item()}, 1e-5, 0);
      ref.expectedGrads().forEach((name, g) -> AllClose.check(impl + " " + name, g, params.get(name).grad().data(),
          1e-5, 1e-6));
    }
  }

  /** The tape-free stepper used for sampling computes what the batched forward computes. */
  @Test
  void stepperMatchesTheBatchedForwardStepByStep() {
    CharModel model = CharModel.create(7, 6, 2, new SplittableRandom(5));
    int[] ids = {3, 0, 6, 6, 1, 2, 5, 4};
    Tape tape = new Tape();
    CharModel.Forward f = model.forward(tape, ids, 1, ids.length, null, Gru.Implementation.FUSED);
    float[] all = f.logits().value().data();
    CharModel.Stepper stepper = model.stepper();
    for (int t = 0; t < ids.length; t++) {
      float[] expected = new float[7];
      System.arraycopy(all, t * 7, expected, 0, 7);
      AllClose.check("step " + t, expected, stepper.step(ids[t]), 1e-5, 1e-6);
    }
  }

  @Test
  void rejectsIdsThatDoNotFillTheBatch() {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.forward(new Tape(), new int[] {0, 1, 2}, 2, 2, null, Gru.Implementation.FUSED));
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
