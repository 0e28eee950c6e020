package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.examples.CharTransformer.Config;
import dev.tapegrad.examples.CharTransformer.Gpt;
import dev.tapegrad.examples.CharTransformer.Optimizers;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.io.StateDict;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The char transformer trains as nanoGPT's GPT does in PyTorch: from the same initial weights, on
 * the same batches, every one of twenty AdamW steps (weight decay on the matrices only, the
 * gradient clipped to norm 1) has PyTorch's loss to 1e-4 relative. The fixture and the losses come
 * from {@code tools/pytorch/make_transformer_fixture.py} (PyTorch 1.13, float32).
 */
class CharTransformerParityTest {

  /** The tolerance: each step's loss to 1e-4 of PyTorch's, relative. */
  static final double TOLERANCE = 1e-4;

  @Test
  void twentyAdamWStepsHavePyTorchsLosses() throws IOException {
    Safetensors.Contents fixture = fixture();
    Map<String, String> meta = fixture.metadata();
    Config config = new Config(meta.get("vocab").length(), integer(meta, "block"), integer(meta, "layers"),
        integer(meta, "heads"), integer(meta, "width"), 0.0);
    Gpt model = new Gpt(config, new SplittableRandom(0));

    // the initial weights, strictly by nanoGPT's names: nothing missing, nothing left over
    Map<String, Tensor> weights = new LinkedHashMap<>(fixture.tensors());
    Tensor xs = weights.remove("batches.x");
    Tensor ys = weights.remove("batches.y");
    Tensor losses = weights.remove("losses");
    StateDict.load(model, weights, true);
    assertEquals(weights.keySet(), model.namedParameters().keySet(), "nanoGPT's names, in its order");

    Optimizers optimizers = Optimizers.of(model, number(meta, "lr"), number(meta, "beta1"), number(meta, "beta2"),
        number(meta, "weight_decay"));
    int steps = xs.dim(0);
    int batch = xs.dim(1);
    int block = xs.dim(2);
    double worst = 0;
    StringBuilder report = new StringBuilder();
    for (int step = 0; step < steps; step++) {
      IntTensor x = IntTensor.of(ids(xs, step), batch, block);
      IntTensor y = IntTensor.of(ids(ys, step), batch, block);
      float loss = CharTransformer.trainStep(model, optimizers, x, y, number(meta, "clip"));
      float expected = losses.get(step);
      double relative = Math.abs(loss - expected) / Math.abs(expected);
      worst = Math.max(worst, relative);
      report.append(String.format(Locale.ROOT, "step %2d  tapegrad %.7f  pytorch %.7f  relative %.2e%n", step + 1,
          loss, expected, relative));
      assertTrue(relative <= TOLERANCE, "step " + (step + 1) + ": " + loss + " vs PyTorch's " + expected + "\n" + report);
    }
    System.out.print(report);
    System.out.printf(Locale.ROOT, "CharTransformerParityTest: worst relative loss error over %d steps %.2e%n", steps,
        worst);
    assertTrue(losses.get(steps - 1) < losses.get(0), "the run learns something");
  }

  private static Safetensors.Contents fixture() throws IOException {
    try (InputStream in = CharTransformerParityTest.class.getResourceAsStream("char-transformer-fixture.safetensors")) {
      assertNotNull(in, "the fixture is a test resource");
      return Safetensors.read(in.readAllBytes());
    }
  }

  /** {@return step's (batch, block) character indices, stored as exact floats} */
  private static int[] ids(Tensor batches, int step) {
    int n = batches.dim(1) * batches.dim(2);
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = Math.round(batches.storage()[step * n + i]);
    }
    return ids;
  }

  private static int integer(Map<String, String> meta, String key) {
    return Integer.parseInt(meta.get(key));
  }

  private static double number(Map<String, String> meta, String key) {
    return Double.parseDouble(meta.get(key));
  }
}
