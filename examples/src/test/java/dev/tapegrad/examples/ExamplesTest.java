package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each example learns what it claims to, with the settings its {@code main} uses. */
class ExamplesTest {

  @Test
  void xorPerceptronLearnsAllFourCases() {
    Xor.Result r = Xor.train(42, 300, null);
    assertEquals(List.of(0, 1, 1, 0), r.predictions());
    assertTrue(r.losses().get(r.losses().size() - 1) < 0.05, "final loss " + last(r.losses()));
  }

  @Test
  void parityClassifierReadsTheFinalHiddenState() {
    Parity.Result r = Parity.train(7, 120, null);
    assertEquals(1.0, r.accuracy(), "accuracy; losses " + r.losses());
    assertTrue(last(r.losses()) < 0.1, "final loss " + last(r.losses()));
  }

  @Test
  void generatorWritesEachWordFromItsStartToken() {
    StartTokenGenerator.Result r = StartTokenGenerator.train(3, 100, null);
    assertEquals(Map.of('0', "tape", '1', "tanh", '2', "gate", '3', "grad"), r.generated(), "losses " + r.losses());
    assertTrue(last(r.losses()) < 0.05, "final loss " + last(r.losses()));
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }
}
