package dev.tapegrad.kernel;

import java.util.Arrays;

/**
 * Scalar reference softmax and log-softmax over any dimension but the last, and their backwards
 * (which accumulate); the last dimension, where a row is contiguous, is {@link SoftmaxKernels}.
 *
 * <p>x is viewed as (outer, n, inner) around the dimension d of size n: the distribution for
 * output position (o, i) runs over {@code x[(o·n + k)·inner + i]}, k = 0 … n − 1. The same math as
 * {@link SoftmaxKernels} (the maximum subtracted first, exponentials and sums in double), with the
 * loops ordered k outside i so that memory is read contiguously: each (o) block keeps {@code inner}
 * running maxima and sums.
 */
public final class SoftmaxDimKernels {

  private SoftmaxDimKernels() {}

  /**
   * {@code y[o, v, i] = e^(x[o, v, i] − m) / Σ_k e^(x[o, k, i] − m)} with m = max_k x[o, k, i].
   *
   * @param x the input, outer × n × inner
   * @param y receives the softmax, same layout
   * @param outer the product of the dimensions before d
   * @param n the size of d
   * @param inner the product of the dimensions after d
   */
  public static void softmaxForward(float[] x, float[] y, int outer, int n, int inner) {
    float[] max = new float[inner];
    double[] sum = new double[inner];
    for (int o = 0; o < outer; o++) {
      int base = o * n * inner;
      columnMax(x, base, n, inner, max);
      // y = e^(x − max), and the sums
      Arrays.fill(sum, 0);
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          double e = Math.exp(x[base + k * inner + i] - max[i]);
          y[base + k * inner + i] = (float) e;
          sum[i] += e;
        }
      }
      // y /= sum, as a multiplication by the float reciprocal (as the last-dimension kernel)
      for (int i = 0; i < inner; i++) {
        max[i] = (float) (1.0 / sum[i]);
      }
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          y[base + k * inner + i] *= max[i];
        }
      }
    }
  }

  /**
   * {@code dX[o, v, i] += y[o, v, i] · (dY[o, v, i] − Σ_k dY[o, k, i] y[o, k, i])}, the dot product
   * in double.
   *
   * @param dY the gradient of the output, outer × n × inner
   * @param y the saved softmax
   * @param dX accumulated into
   * @param outer the product of the dimensions before d
   * @param n the size of d
   * @param inner the product of the dimensions after d
   */
  public static void softmaxBackward(float[] dY, float[] y, float[] dX, int outer, int n, int inner) {
    double[] dot = new double[inner];
    for (int o = 0; o < outer; o++) {
      int base = o * n * inner;
      // Σ_k dY_k y_k for every i
      Arrays.fill(dot, 0);
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          dot[i] += (double) dY[base + k * inner + i] * y[base + k * inner + i];
        }
      }
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          int at = base + k * inner + i;
          dX[at] += y[at] * (dY[at] - (float) dot[i]);
        }
      }
    }
  }

  /**
   * {@code y[o, v, i] = x[o, v, i] − m − ln Σ_k e^(x[o, k, i] − m)} with m = max_k x[o, k, i].
   *
   * @param x the input, outer × n × inner
   * @param y receives the log-softmax, same layout
   * @param outer the product of the dimensions before d
   * @param n the size of d
   * @param inner the product of the dimensions after d
   */
  public static void logSoftmaxForward(float[] x, float[] y, int outer, int n, int inner) {
    float[] max = new float[inner];
    double[] sum = new double[inner];
    for (int o = 0; o < outer; o++) {
      int base = o * n * inner;
      columnMax(x, base, n, inner, max);
      // Σ_k e^(x − max), then its log
      Arrays.fill(sum, 0);
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          sum[i] += Math.exp(x[base + k * inner + i] - max[i]);
        }
      }
      for (int i = 0; i < inner; i++) {
        sum[i] = Math.log(sum[i]);
      }
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          y[base + k * inner + i] = (float) (x[base + k * inner + i] - max[i] - sum[i]);
        }
      }
    }
  }

  /**
   * {@code dX[o, v, i] += dY[o, v, i] − e^(y[o, v, i]) · Σ_k dY[o, k, i]}, the sum in double.
   *
   * @param dY the gradient of the output, outer × n × inner
   * @param y the saved log-softmax
   * @param dX accumulated into
   * @param outer the product of the dimensions before d
   * @param n the size of d
   * @param inner the product of the dimensions after d
   */
  public static void logSoftmaxBackward(float[] dY, float[] y, float[] dX, int outer, int n, int inner) {
    double[] total = new double[inner];
    for (int o = 0; o < outer; o++) {
      int base = o * n * inner;
      // Σ_k dY_k for every i
      Arrays.fill(total, 0);
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          total[i] += dY[base + k * inner + i];
        }
      }
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          int at = base + k * inner + i;
          dX[at] += dY[at] - (float) Math.exp(y[at]) * (float) total[i];
        }
      }
    }
  }

  /** {@code max[i] = max_k x[base + k·inner + i]}. */
  private static void columnMax(float[] x, int base, int n, int inner, float[] max) {
    Arrays.fill(max, Float.NEGATIVE_INFINITY);
    for (int k = 0; k < n; k++) {
      for (int i = 0; i < inner; i++) {
        max[i] = Math.max(max[i], x[base + k * inner + i]);
      }
    }
  }
}
