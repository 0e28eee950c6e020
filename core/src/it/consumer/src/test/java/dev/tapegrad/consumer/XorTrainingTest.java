package dev.tapegrad.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.tensor.Backend;
import dev.tapegrad.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published core trains a model on its own, wherever it is put: the surefire executions set
 * {@code consumer.modulePath} and {@code consumer.vector} to say how this JVM was started.
 */
class XorTrainingTest {

  private static final boolean MODULE_PATH = Boolean.getBoolean("consumer.modulePath");
  private static final boolean VECTOR = Boolean.getBoolean("consumer.vector");

  private static float[] losses;
  private static String stderr;

  /** Trains once, capturing what core prints on standard error when its kernels are chosen. */
  @BeforeAll
  static void train() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      losses = XorTraining.train(150);
    } finally {
      System.setErr(original);
    }
    stderr = captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void lossFalls() {
    assertTrue(losses[losses.length - 1] < 0.05f * losses[0],
        "loss went from " + losses[0] + " to " + losses[losses.length - 1]);
  }

  @Test
  void coreIsTheNamedModuleOnTheModulePathAndPlainOnTheClassPath() {
    Module core = Tensor.class.getModule();
    if (MODULE_PATH) {
      assertEquals("dev.tapegrad.core", core.getName());
      assertTrue(XorTraining.class.getModule().isNamed());
      for (String api : new String[] {"tensor", "autograd", "ops", "nn", "optim", "io"}) {
        assertTrue(core.isExported("dev.tapegrad." + api), api + " is exported");
      }
      assertFalse(core.isExported("dev.tapegrad.kernel"), "the kernels stay internal");
    } else {
      assertFalse(core.isNamed(), "on the class path core is in the unnamed module");
    }
  }

  @Test
  void kernelsFollowTheVectorModule() {
    Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
    assertEquals(VECTOR, vector.isPresent(), "jdk.incubator.vector in the boot layer");
    // Kernels prints one hint when it falls back to the scalar kernels because the module is missing.
    assertEquals(!VECTOR, stderr.contains("using scalar kernels because jdk.incubator.vector is not available"),
        "standard error while training: " + stderr);
    // the exported Backend names the kernels, on the module path too
    assertEquals(VECTOR, Backend.current().simd(), Backend.current().toString());
    if (VECTOR) {
      // core's descriptor does not name the module; when it is there, core adds the read edge itself
      assertTrue(Tensor.class.getModule().canRead(vector.get()));
    }
  }
}
