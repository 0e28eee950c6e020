package dev.tapegrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import dev.tapegrad.testing.ReferenceCase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The char model Embedding(V,V) → GRU, LSTM or tanh RNN → Linear(H,V), built from core's layers,
 * against PyTorch's numbers (see src/test/resources/reference/README.md): logits, final states,
 * loss and every gradient, for both implementations. The expected values were computed in float64
 * from the same float32 weights, so a float32 forward and backward should agree to about 1e-5
 * relative; the absolute floor 1e-6 covers values that are near zero.
 */
class RecurrentReferenceTest {

  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-6;

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({"gru-small.json, REFERENCE", "gru-small.json, FUSED", "gru-2layer.json, REFERENCE",
      "gru-2layer.json, FUSED", "lstm-2layer.json, REFERENCE", "lstm-2layer.json, FUSED",
      "rnn-2layer.json, REFERENCE", "rnn-2layer.json, FUSED"})
  void charModelMatchesPyTorchLogitsStateLossAndGradients(String file, Implementation implementation) {
    ReferenceCase ref = ReferenceCase.load(file);
    ReferenceCase.Config c = ref.config();
    CellKind kind = CellKind.parse(c.cell());
    assertEquals(file.substring(0, file.indexOf('-')), kind.id());
    SplittableRandom unused = new SplittableRandom(0);
    Embedding encoder = Embedding.create(c.vocab(), c.vocab(), unused);
    Recurrent rnn = Recurrent.create(kind, c.vocab(), c.hidden(), c.layers(), unused);
    Linear decoder = Linear.create(c.hidden(), c.vocab(), unused);
    Map<String, Variable> state = new LinkedHashMap<>();
    encoder.namedParameters().forEach((k, v) -> state.put("encoder." + k, v));
    rnn.namedParameters().forEach((k, v) -> state.put("rnn." + k, v));
    decoder.namedParameters().forEach((k, v) -> state.put("decoder." + k, v));
    Map<String, Tensor> params = ref.params();
    assertEquals(params.keySet(), state.keySet(), "parameter names are PyTorch's state_dict names");
    params.forEach((k, v) -> state.get(k).value().copyFrom(v));

    Tape tape = new Tape();
    Variable embedded = Reshape.apply(tape, encoder.forward(tape, ref.inputs()), c.batch(), c.seq(), c.vocab());
    Recurrent.Output out = rnn.forward(tape, embedded, ref.initialStates(), implementation);
    Variable flat = Reshape.apply(tape, out.output(), c.batch() * c.seq(), c.hidden());
    Variable logits = decoder.forward(tape, flat);
    Variable loss = SoftmaxCrossEntropy.apply(tape, logits, ref.targets());
    tape.backward(loss);

    AllClose.check("logits", ref.expectedLogits(), logits.value().storage(), RTOL, ATOL);
    AllClose.check("h_final", ref.expectedHFinal(), ReferenceCase.stacked(out.states(), false), RTOL, ATOL);
    if (kind == CellKind.LSTM) {
      AllClose.check("c_final", ref.expectedCFinal(), ReferenceCase.stacked(out.states(), true), RTOL, ATOL);
    }
    AllClose.check("loss", new double[] {ref.expectedLoss()}, new float[] {loss.value().item()}, RTOL, 0);
    ref.expectedGrads().forEach((name, expected) ->
        AllClose.check("grad " + name, expected, state.get(name).grad().storage(), RTOL, ATOL));
  }
}
