package dev.tapegrad.optim;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SgdTest {

  @Test
  void plainStepMovesAgainstTheGradient() {
    // p ← p − lr · g: 1 − 0.1 · 2 = 0.8
    Variable p = param("p", new float[] {1}, 1);
    Sgd sgd = Sgd.create(List.of(p), 0.1f, 0f);
    p.gradBuffer().data()[0] = 2f;
    sgd.step();
    AllClose.check("p", new float[] {0.8f}, p.value().data(), 1e-7, 0);
  }

  @Test
  void momentumAccumulatesAVelocityAsPyTorchDoes() {
    // g = 1 twice, μ = 0.9, lr = 0.1: v = 1 then 0.9 + 1 = 1.9; p = 1 − 0.1 − 0.19 = 0.71
    Variable p = param("p", new float[] {1}, 1);
    Sgd sgd = Sgd.create(Map.of("w", p), 0.1f, 0.9f);
    for (int step = 0; step < 2; step++) {
      sgd.zeroGrad();
      p.gradBuffer().data()[0] = 1f;
      sgd.step();
    }
    AllClose.check("v", new float[] {1.9f}, sgd.velocity("w").data(), 1e-6, 0);
    AllClose.check("p", new float[] {0.71f}, p.value().data(), 1e-6, 0);
  }

  @Test
  void weightDecayIsAddedToTheGradient() {
    // g' = 0 + 0.5 · 2 = 1: p = 2 − 0.1 · 1 = 1.9
    Variable p = param("p", new float[] {2}, 1);
    Sgd sgd = Sgd.create(Map.of("w", p), 0.1f, 0.5f, 0.5f);
    p.gradBuffer();
    sgd.step();
    AllClose.check("p", new float[] {1.9f}, p.value().data(), 1e-6, 0);
  }

  @Test
  void countsItsUpdateAsAnInPlaceChange() {
    Variable p = param("p", new float[] {1}, 1);
    long before = p.value().version();
    Sgd.create(List.of(p), 0.1f, 0f).step();
    assertEquals(before + 1, p.value().version());
  }

  @Test
  void rejectsBadSettings() {
    List<Variable> params = List.of(param("p", new float[1], 1));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Sgd.create(params, -1f, 0f), "lr=-1.0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Sgd.create(params, 0.1f, 1f), "momentum=1.0");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sgd.create(List.of(Variable.constant(Tensor.zeros(1))), 0.1f, 0f), "'0'", "not a trainable");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sgd.create(params, 0.1f, 0f).velocity("q"), "'q'", "[0]");
  }
}
