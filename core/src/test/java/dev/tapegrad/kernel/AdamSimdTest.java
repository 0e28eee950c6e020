package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AdamSimd} is bitwise {@link AdamKernels}, over several steps and every tail length. */
class AdamSimdTest {

  static IntStream lengths() {
    return IntStream.concat(IntStream.rangeClosed(0, 17), IntStream.of(64, 100, 511, 512, 513, 1000));
  }

  @ParameterizedTest(name = "length = {0}")
  @MethodSource("lengths")
  void simdAdamIsBitwiseTheReference(int length) {
    for (float weightDecay : new float[] {0f, 0.01f}) {
      SplittableRandom random = new SplittableRandom(length);
      float[] param = KernelAsserts.uniform(random, length);
      float[] m = new float[length];
      float[] v = new float[length];
      float[] paramSimd = param.clone();
      float[] mSimd = m.clone();
      float[] vSimd = v.clone();
      for (long step = 1; step <= 5; step++) {
        float[] grad = KernelAsserts.uniform(random, length);
        AdamKernels.stepReference(param, grad, m, v, 2e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, step);
        AdamSimd.stepSimd(paramSimd, grad, mSimd, vSimd, 2e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, step);
        String what = "length " + length + ", decay " + weightDecay + ", step " + step;
        assertBitwiseEqual(what + ": m", m, mSimd);
        assertBitwiseEqual(what + ": v", v, vSimd);
        assertBitwiseEqual(what + ": param", param, paramSimd);
      }
    }
  }
}
