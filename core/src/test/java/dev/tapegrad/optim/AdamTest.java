package dev.tapegrad.optim;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import dev.tapegrad.testing.ReferenceCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {

  /**
   * Tolerance against the PyTorch reference, relative and absolute. The reference was computed in
   * float64 from the same float32 start values, and our update runs in float32. The parameters are
   * of order 0.3, where float32 values are 3e-8 apart, and each of the three steps moves a value by
   * at most lr = 1e-3 with a relative error near 1e-7; so the expected error is a few times 3e-8.
   * 1e-6 leaves a margin of over ten, while a wrong beta, a missing bias correction or a wrong
   * step count changes the update by a large fraction of lr, a thousand times the tolerance.
   */
  private static final double REFERENCE_TOLERANCE = 1e-6;

  private static final List<String> DECODER = List.of("decoder.weight", "decoder.bias");

  @Test
  void defaultBetasAndEpsEqualPyTorchs() {
    // torch.optim.Adam(params, lr): betas=(0.9, 0.999), eps=1e-8, weight_decay=0
    assertEquals(0.9f, Adam.DEFAULT_BETA1);
    assertEquals(0.999f, Adam.DEFAULT_BETA2);
    assertEquals(1e-8f, Adam.DEFAULT_EPS);
    double[] reference = ReferenceCase.load("gru-small.json").adamHyperParameters();
    assertEquals((float) reference[1], Adam.DEFAULT_BETA1);
    assertEquals((float) reference[2], Adam.DEFAULT_BETA2);
    assertEquals((float) reference[3], Adam.DEFAULT_EPS);
  }

  @Test
  void reproducesThreePyTorchReferenceSteps() {
    ReferenceCase ref = ReferenceCase.load("gru-small.json");
    Map<String, Tensor> start = ref.adamStart();
    Map<String, double[]> grads = ref.expectedGrads();
    List<Variable> params = new ArrayList<>();
    for (String name : DECODER) {
      params.add(Variable.parameter(name, start.get(name).copy()));
    }
    // the reference ran torch.optim.Adam with its default betas and eps, as create(params, lr) does
    Adam adam = Adam.create(params, (float) ref.adamHyperParameters()[0]);
    int stepNumber = 0;
    for (ReferenceCase.AdamStep step : ref.adamSteps()) {
      stepNumber++;
      adam.zeroGrad();
      for (Variable p : params) {
        // g = expected.grads · grad_scale
        double[] g = grads.get(p.name());
        float[] buffer = p.gradBuffer().data();
        for (int i = 0; i < buffer.length; i++) {
          buffer[i] = (float) (g[i] * step.gradScale());
        }
      }
      adam.step();
      for (Variable p : params) {
        AllClose.check(p.name() + " after step " + stepNumber, step.params().get(p.name()), p.value().data(),
            REFERENCE_TOLERANCE, REFERENCE_TOLERANCE);
      }
    }
    assertEquals(3, stepNumber);
    assertEquals(3, adam.stepCount());
  }

  @Test
  void firstStepMovesEachValueByTheLearningRateAgainstItsGradientSign() {
    // t = 1: m̂ = g and v̂ = g², so the update is lr · g / (|g| + eps) ≈ lr · sign(g)
    //   g = 0.5:  1 − 0.1 · 0.5 / (0.5 + 1e-8) = 0.9
    //   g = −2:   1 + 0.1 = 1.1
    //   g = 1e-3: 1 − 0.1 · 1e-3 / (1e-3 + 1e-8) = 1 − 0.1 · 0.99999 = 0.900001
    Variable p = param("p", new float[] {1, 1, 1}, 3);
    Adam adam = Adam.create(List.of(p), 0.1f);
    p.gradBuffer().copyFrom(Tensor.of(new float[] {0.5f, -2f, 1e-3f}, 3));
    adam.step();
    AllClose.check("p", new double[] {0.9, 1.1, 0.900001}, p.value().data(), 1e-6, 1e-7);
  }

  @Test
  void biasCorrectionUsesTheStepNumber() {
    // lr 0.1; step 1 with g = 1 moves p = 1 to 0.9 (as above). Step 2 with g = 0:
    //   m = 0.9 · 0.1 = 0.09,  v = 0.999 · 0.001 = 0.000999
    //   m̂ = 0.09 / (1 − 0.9²) = 0.09 / 0.19 = 0.4736842
    //   v̂ = 0.000999 / (1 − 0.999²) = 0.000999 / 0.001999 = 0.4997499, √v̂ = 0.7069299
    //   p = 0.9 − 0.1 · 0.4736842 / 0.7069299 = 0.9 − 0.0670058 = 0.8329942
    // In float32, β2 = 0.999f is 0.99900001287 and 1 − β2 is 0.00099998713, so v is
    // 0.99900001287 · 0.00099998713 = 0.000998987 rather than 0.000999; v̂ = β2 / (1 + β2) does not
    // notice, since the same β2 enters the bias correction.
    Variable p = param("p", new float[] {1}, 1);
    Adam adam = Adam.create(List.of(p), 0.1f);
    p.gradBuffer().data()[0] = 1f;
    adam.step();
    AllClose.check("p after step 1", new float[] {0.9f}, p.value().data(), 1e-6, 0);
    adam.zeroGrad();
    adam.step();
    AllClose.check("m", new float[] {0.09f}, adam.firstMoment("0").data(), 1e-6, 0);
    AllClose.check("v", new double[] {0.000998987}, adam.secondMoment("0").data(), 1e-6, 0);
    AllClose.check("p after step 2", new double[] {0.8329942}, p.value().data(), 1e-6, 0);
  }

  @Test
  void adamWsWeightDecayIsDecoupled() {
    // AdamW: p ← p (1 − lr · wd) before the Adam update; with g = 0 the update is 0, so
    // p = 2 · (1 − 0.1 · 0.1) = 1.98
    Variable p = param("p", new float[] {2}, 1);
    Adam adamW = AdamW.builder().lr(0.1).weightDecay(0.1).build(List.of(p));
    p.gradBuffer();
    adamW.step();
    AllClose.check("p", new float[] {1.98f}, p.value().data(), 1e-6, 0);
    assertEquals("AdamW", adamW.toString());
  }

  @Test
  void adamWHasPyTorchsDefaultsAndTheDeprecatedPositionalFormIsTheSameUpdate() {
    // torch.optim.AdamW(params): lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2
    Variable a = param("a", new float[] {2, -1}, 2);
    Variable b = param("b", new float[] {2, -1}, 2);
    Adam named = AdamW.builder().build(List.of(a));
    assertEquals(0.01f, named.weightDecay());
    assertEquals(1e-3f, named.learningRate());
    assertTrue(named.isDecoupled());
    @SuppressWarnings("deprecation")
    Adam positional = Adam.create(List.of(b), 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f);
    for (int step = 0; step < 3; step++) {
      for (Variable p : List.of(a, b)) {
        p.gradBuffer().copyFrom(Tensor.of(new float[] {0.5f, -0.25f * step}, 2));
      }
      named.step();
      positional.step();
    }
    assertArrayEquals(b.value().toArray(), a.value().toArray());
  }

  @Test
  void adamsWeightDecayIsAnL2PenaltyThroughTheMomentsAndLeavesTheGradientAlone() {
    // torch.optim.Adam(weight_decay=wd): g ← g + wd · p before the moments; the same as Adam
    // without decay given that gradient. p = 2, g = 0.5, wd = 0.1: g' = 0.5 + 0.2 = 0.7
    Variable p = param("p", new float[] {2, -3}, 2);
    Variable q = param("q", new float[] {2, -3}, 2);
    Adam decayed = Adam.builder().lr(0.1).weightDecay(0.1).build(List.of(p));
    Adam plain = Adam.builder().lr(0.1).build(List.of(q));
    assertFalse(decayed.isDecoupled());
    for (int step = 0; step < 3; step++) {
      float[] g = {0.5f, 0.25f * step};
      p.gradBuffer().copyFrom(Tensor.of(g, 2));
      float[] w = q.value().data();
      q.gradBuffer().copyFrom(Tensor.of(new float[] {g[0] + 0.1f * w[0], g[1] + 0.1f * w[1]}, 2));
      decayed.step();
      plain.step();
      assertArrayEquals(g, p.grad().toArray(), "the gradient backward left");
    }
    assertArrayEquals(q.value().toArray(), p.value().toArray());
  }

  @Test
  void refusesAParameterGivenTwiceNamingBothNames() {
    // stepped twice per step otherwise: each name would apply its own Adam update to the same values
    Variable w = param("w", new float[] {1}, 1);
    Map<String, Variable> twice = new java.util.LinkedHashMap<>();
    twice.put("encoder.weight", w);
    twice.put("decoder.weight", w);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Adam.builder().build(twice),
        "Adam: 'decoder.weight'", "already given as 'encoder.weight'");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> AdamW.builder().build(List.of(w, w)),
        "AdamW: '1'", "as '0'");
  }

  @Test
  void aParameterWithoutAGradientIsUpdatedAsIfItWereZero() {
    Variable p = param("p", new float[] {0.25f, -0.5f}, 2);
    Adam adam = Adam.create(List.of(p), 0.1f);
    adam.step();
    assertArrayEquals(new float[] {0.25f, -0.5f}, p.value().toArray());
    assertNotNull(p.grad());
  }

  @Test
  void zeroGradClearsEveryParameterThroughTheOptimizerInterface() {
    Variable a = param("a", new float[] {1}, 1);
    Variable b = param("b", new float[] {1, 2}, 2);
    a.gradBuffer().data()[0] = 3f;
    b.gradBuffer().data()[1] = 4f;
    Optimizer optimizer = Adam.create(List.of(a, b), 1e-3f);
    optimizer.zeroGrad();
    assertArrayEquals(new float[] {0}, a.grad().toArray());
    assertArrayEquals(new float[] {0, 0}, b.grad().toArray());
  }

  @Test
  void restoredStateContinuesExactlyWhereTheSavedOneLeftOff() {
    Variable original = param("p", new float[] {1, -1}, 2);
    Adam saved = Adam.create(Map.of("layer.p", original), 0.01f);
    for (float g : new float[] {0.5f, -0.25f}) {
      original.gradBuffer().copyFrom(Tensor.of(new float[] {g, 2 * g}, 2));
      saved.step();
    }
    Variable copy = Variable.parameter("p", original.value().copy());
    Adam restored = Adam.create(Map.of("layer.p", copy), 0.01f);
    restored.restore(saved.stepCount(), Map.of("layer.p", saved.firstMoment("layer.p")),
        Map.of("layer.p", saved.secondMoment("layer.p")));
    assertEquals(2, restored.stepCount());
    for (Variable p : List.of(original, copy)) {
      p.gradBuffer().copyFrom(Tensor.of(new float[] {-1f, 3f}, 2));
    }
    saved.step();
    restored.step();
    assertArrayEquals(original.value().toArray(), copy.value().toArray());
  }

  @Test
  void restoreRejectsStateThatDoesNotMatchTheParametersByName() {
    Adam adam = Adam.create(Map.of("w", param("p", new float[2], 2)), 0.01f);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> adam.restore(1, Map.of(), Map.of()),
        "moments for [] and []", "parameters are [w]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> adam.restore(1, Map.of("v", Tensor.zeros(2)), Map.of("v", Tensor.zeros(2))), "[v]", "[w]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> adam.restore(-1, Map.of("w", Tensor.zeros(2)), Map.of("w", Tensor.zeros(2))), "step -1");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> adam.restore(1, Map.of("w", Tensor.zeros(3)), Map.of("w", Tensor.zeros(2))), "'w'", "[3]", "[2]");
  }

  @Test
  void keepsItsMomentsByNameAndListsArePositional() {
    Variable a = param("a", new float[] {1}, 1);
    Variable b = param("b", new float[] {1, 2}, 2);
    Adam byName = Adam.create(Map.of("encoder.weight", a), 0.1f);
    assertEquals(java.util.Set.of("encoder.weight"), byName.namedParameters().keySet());
    assertThrowsWithMessage(IllegalArgumentException.class, () -> byName.firstMoment("decoder.weight"),
        "decoder.weight", "encoder.weight");
    Adam byPosition = Adam.create(List.of(a, b), 0.1f);
    assertEquals(List.of("0", "1"), List.copyOf(byPosition.namedParameters().keySet()));
    assertEquals(2, byPosition.secondMoment("1").size());
  }

  @Test
  void aZeroLearningRateLeavesParametersUnchanged() {
    Variable p = param("p", new float[] {1}, 1);
    Adam adam = Adam.create(List.of(p), 0.1f);
    adam.setLearningRate(0f);
    assertEquals(0f, adam.learningRate());
    p.gradBuffer().data()[0] = 1f;
    adam.step();
    assertArrayEquals(new float[] {1}, p.value().toArray());
    // the moments still advance: m = 0.1 · 1
    AllClose.check("m", new float[] {0.1f}, adam.firstMoment("0").data(), 1e-6, 0);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> adam.setLearningRate(-1f), "-1.0");
  }

  @Test
  void rejectsInvalidHyperParameters() {
    List<Variable> params = List.of(param("p", new float[1], 1));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Adam.create(params, -1f), "lr=-1.0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Adam.builder().betas(1, 0.999).build(params),
        "betas=(1.0, 0.999)");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Adam.builder().betas(0.9, -0.1).build(params),
        "betas=(0.9, -0.1)");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Adam.builder().eps(Double.NaN).build(params),
        "eps=NaN");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> AdamW.builder().weightDecay(-1).build(params),
        "AdamW: invalid", "weightDecay=-1.0");
  }

  @Test
  void rejectsAParameterThatNeedsNoGradient() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Adam.create(List.of(Variable.constant(Tensor.zeros(1))), 0.1f), "not a trainable parameter");
  }

  @Test
  void keepsTheParametersInTheOrderGiven() {
    Variable a = param("a", new float[1], 1);
    Variable b = param("b", new float[1], 1);
    assertEquals(List.of(b, a), Adam.create(List.of(b, a), 0.1f).parameters());
  }
}
