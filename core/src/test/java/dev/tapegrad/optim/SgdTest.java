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
    Sgd sgd = Sgd.builder().lr(0.1).build(List.of(p));
    p.gradBuffer().data()[0] = 2f;
    sgd.step();
    AllClose.check("p", new float[] {0.8f}, p.value().data(), 1e-7, 0);
  }

  @Test
  void momentumAccumulatesAVelocityAsPyTorchDoes() {
    // g = 1 twice, μ = 0.9, lr = 0.1: v = 1 then 0.9 + 1 = 1.9; p = 1 − 0.1 − 0.19 = 0.71
    Variable p = param("p", new float[] {1}, 1);
    Sgd sgd = Sgd.builder().lr(0.1).momentum(0.9).build(Map.of("w", p));
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
    Sgd sgd = Sgd.builder().lr(0.1).momentum(0.5).weightDecay(0.5).build(Map.of("w", p));
    p.gradBuffer();
    sgd.step();
    AllClose.check("p", new float[] {1.9f}, p.value().data(), 1e-6, 0);
  }

  @Test
  void countsItsUpdateAsAnInPlaceChange() {
    Variable p = param("p", new float[] {1}, 1);
    long before = p.value().version();
    Sgd.builder().lr(0.1).build(List.of(p)).step();
    assertEquals(before + 1, p.value().version());
  }

  @Test
  void rejectsBadSettings() {
    List<Variable> params = List.of(param("p", new float[1], 1));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Sgd.builder().lr(-1).build(params), "lr=-1.0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Sgd.builder().momentum(1).build(params), "momentum=1.0");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sgd.builder().build(List.of(Variable.constant(Tensor.zeros(1)))), "'0'", "not a trainable");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sgd.builder().build(params).velocity("q"), "'q'", "[0]");
  }

  @Test
  void refusesAParameterGivenTwice() {
    Variable w = param("w", new float[] {1}, 1);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Sgd.builder().build(List.of(w, w)),
        "Sgd: '1'", "already given as '0'");
  }

  @Test
  void theDeprecatedPositionalFormsAreTheSameUpdate() {
    Variable a = param("a", new float[] {2}, 1);
    Variable b = param("b", new float[] {2}, 1);
    Sgd named = Sgd.builder().lr(0.1).momentum(0.5).weightDecay(0.5).build(Map.of("w", a));
    @SuppressWarnings("deprecation")
    Sgd positional = Sgd.create(Map.of("w", b), 0.1f, 0.5f, 0.5f);
    for (int step = 0; step < 3; step++) {
      a.gradBuffer().data()[0] = step;
      b.gradBuffer().data()[0] = step;
      named.step();
      positional.step();
    }
    assertEquals(b.value().item(), a.value().item());
  }
}
