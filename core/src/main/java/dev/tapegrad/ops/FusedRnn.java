package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.kernel.RnnKernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * One plain tanh-RNN layer over a whole batch-first sequence, as a single tape entry with a
 * hand-written back-propagation through time. It computes exactly what
 * {@code dev.tapegrad.nn.RnnCell} composes from primitive ops, step by step, and is tested against
 * it.
 *
 * <p>Forward, {@code torch.nn.RNN} with {@code nonlinearity='tanh'}, for t = 1 … L:
 * <pre>
 *   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)
 * </pre>
 *
 * <p>Shapes (N batch, L steps, In input width, H hidden): x (N, L, In); h0 (N, H);
 * weightIh (H, In); weightHh (H, H); biasIh and biasHh (H); output (N, L, H), every h_t,
 * batch-first.
 *
 * <p>How the work is arranged:
 * <ul>
 *   <li>the input projection {@code gi = x W_ihᵀ + b_ih} for all N·L positions is one matmul
 *       before the loop (it does not depend on h);</li>
 *   <li>each step makes one hidden projection {@code gh = h W_hhᵀ + b_hh} (a matrix-vector
 *       product at batch 1), then {@link RnnKernels#stepForwardReference};</li>
 *   <li>saved: every h_t, h_0 included (the local derivative of tanh is read off its output,
 *       1 − h_t², so no pre-activation is stored).</li>
 * </ul>
 *
 * <p>Backward, per step from t = L down to 1, with dh' the gradient on h_t (from the output
 * plus what step t+1 sent back), and a_t = gi_t + gh_t the pre-activation:
 * <pre>
 *   da_t     = dh' ⊙ (1 − h_t²)                       (tanh' from the saved output)
 *   dh_{t−1} = da_t W_hh                               (gh_t = h_{t−1} W_hhᵀ + b_hh)
 * </pre>
 * Both projections enter a_t by a plain sum, so the same da_t is the gradient of gi_t and of
 * gh_t. The weight gradients are then one matmul each over the whole chunk, not a rank-1 update
 * per step: {@code dW_ih += dAᵀ x}, {@code dW_hh += dAᵀ H_prev}, {@code db_ih += Σ dA},
 * {@code db_hh += Σ dA}, {@code dx += dA W_ih}, and {@code dh0 += dh_0}, where dA stacks every
 * da_t in the batch-first row order b·L + t of x for the input side, and in time-major order
 * beside H_prev (every h_{t−1}, time-major) for the hidden side, as {@link FusedGru} does.
 *
 * <p>Note: unlike {@link FusedGru} there is no workspace; each call allocates its buffers
 * (N·L·H floats for gi and for the saved states, the same again in backward).
 *
 * <pre>{@code
 * Variable out = FusedRnn.apply(tape, x, h0, weightIh, weightHh, biasIh, biasHh);  // N×L×H
 * Variable hLast = SelectStep.apply(tape, out, steps - 1);                        // N×H
 * }</pre>
 */
public final class FusedRnn {

  private FusedRnn() {}

  /** What backward needs: the input, the weights and every step's hidden state. */
  private record Saved(Tensor x, Tensor weightIh, Tensor weightHh, float[] hs, int batch, int steps, int in,
      int hidden) {}

  /**
   * Runs the layer over the sequence.
   *
   * @param tape the tape to record on
   * @param x the input sequence, N×L×In
   * @param h0 the initial hidden state, N×H (a constant of zeros for a fresh start)
   * @param weightIh W_ih, H×In
   * @param weightHh W_hh, H×H
   * @param biasIh b_ih, H
   * @param biasHh b_hh, H
   * @return every step's hidden state, N×L×H
   * @throws IllegalArgumentException naming the shapes if they do not fit together
   */
  public static Variable apply(Tape tape, Variable x, Variable h0, Variable weightIh, Variable weightHh,
      Variable biasIh, Variable biasHh) {
    Checks.requireRank("FusedRnn", "x", x, 3);
    Checks.requireRank("FusedRnn", "h0", h0, 2);
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int in = x.shape().dim(2);
    int hidden = h0.shape().dim(1);
    if (h0.shape().dim(0) != batch || !weightIh.shape().equals(Shape.of(hidden, in))
        || !weightHh.shape().equals(Shape.of(hidden, hidden)) || !biasIh.shape().equals(Shape.of(hidden))
        || !biasHh.shape().equals(Shape.of(hidden))) {
      throw new IllegalArgumentException("FusedRnn: shapes do not fit: x " + x.shape() + ", h0 " + h0.shape()
          + ", weight_ih " + weightIh.shape() + ", weight_hh " + weightHh.shape() + ", bias_ih " + biasIh.shape()
          + ", bias_hh " + biasHh.shape() + " (need x (N, L, In), h0 (N, H), weights (H, In) and (H, H), biases (H))");
    }
    int rows = batch * steps;
    int block = batch * hidden;

    // gi = x W_ihᵀ + b_ih for all N·L positions at once; row b·L + t
    float[] gi = new float[rows * hidden];
    ElementwiseKernels.fillRows(gi, biasIh.value().data(), rows);
    Kernels.matmulTransB(x.value().data(), weightIh.value().data(), gi, rows, in, hidden);

    // hs holds h_0 … h_L time-major: step t reads block t and writes block t + 1
    float[] hs = new float[(steps + 1) * block];
    System.arraycopy(h0.value().data(), 0, hs, 0, block);
    float[] hPrev = new float[block];
    float[] gh = new float[block];
    float[] wHh = weightHh.value().data();
    float[] bHh = biasHh.value().data();
    for (int t = 0; t < steps; t++) {
      // gh = h_{t−1} W_hhᵀ + b_hh: one product (a matrix-vector product at batch 1)
      ElementwiseKernels.fillRows(gh, bHh, batch);
      if (batch == 1) {
        Kernels.matvec(wHh, 0, hs, t * block, gh, 0, hidden, hidden);
      } else {
        System.arraycopy(hs, t * block, hPrev, 0, block);
        Kernels.matmulTransB(hPrev, wHh, gh, batch, hidden, hidden);
      }
      // h_t = tanh(gi_t + gh)
      RnnKernels.stepForwardReference(gi, t * hidden, steps * hidden, gh, hs, (t + 1) * block, batch, hidden);
    }

    // output[b, t, :] = h_{t+1}[b, :]: batch-first, as PyTorch's batch_first=True
    Tensor out = Tensor.zeros(batch, steps, hidden);
    float[] o = out.data();
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(hs, (t + 1) * block + b * hidden, o, (b * steps + t) * hidden, hidden);
      }
    }
    Variable result = tape.output("FusedRnn", out, x, h0, weightIh, weightHh, biasIh, biasHh);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), weightIh.value(), weightHh.value(), hs, batch, steps, in, hidden);
      tape.record("FusedRnn", result, dOut -> backward(dOut, saved, x.gradBuffer(), h0.gradBuffer(),
          weightIh.gradBuffer(), weightHh.gradBuffer(), biasIh.gradBuffer(), biasHh.gradBuffer()),
          x, h0, weightIh, weightHh, biasIh, biasHh);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dH0, Tensor dWeightIh, Tensor dWeightHh,
      Tensor dBiasIh, Tensor dBiasHh) {
    int batch = s.batch();
    int steps = s.steps();
    int hidden = s.hidden();
    int rows = batch * steps;
    int block = batch * hidden;
    float[] dO = dOut.data();
    float[] hs = s.hs();
    // W_hhᵀ (H×H), so that each step's dh_{t−1} = da_t W_hh is a row-contiguous product
    float[] wHhT = new float[hidden * hidden];
    ElementwiseKernels.transpose(s.weightHh().data(), hidden, hidden, wHhT);

    float[] dA = new float[rows * hidden];         // every da_t, batch-first rows b·L + t (input side)
    float[] dAByStep = new float[rows * hidden];   // the same, time-major (hidden side, beside h_{t−1})
    float[] dAStep = new float[block];            // this step's da_t, B×H
    float[] dh = new float[block];                // dh' on h_t
    float[] dhCarry = new float[block];           // sent back to h_{t−1}
    for (int t = steps - 1; t >= 0; t--) {
      // dh' = dOutput[:, t, :] + the gradient carried back from step t + 1
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          dh[b * hidden + j] = dO[(b * steps + t) * hidden + j] + dhCarry[b * hidden + j];
        }
      }
      // h_t = tanh(a_t)  ⇒  da_t = dh' (1 − h_t²)
      RnnKernels.stepBackwardReference(dh, hs, (t + 1) * block, dAStep, 0, batch, hidden);
      // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dh_{t−1} = da_t W_hh = (W_hhᵀ da_tᵀ)ᵀ; h_{t−1} has no other path
      Arrays.fill(dhCarry, 0f);
      if (batch == 1) {
        Kernels.matvec(wHhT, 0, dAStep, 0, dhCarry, 0, hidden, hidden);
      } else {
        Kernels.matmulTransB(dAStep, wHhT, dhCarry, batch, hidden, hidden);
      }
      // keep da_t for the weight gradients, in the batch-first order of gi and the time-major order of hs
      for (int b = 0; b < batch; b++) {
        System.arraycopy(dAStep, b * hidden, dA, (b * steps + t) * hidden, hidden);
      }
      System.arraycopy(dAStep, 0, dAByStep, t * block, block);
    }
    // h_0 is an input: it receives what step 1 sent back
    if (dH0 != null) {
      ElementwiseKernels.axpy(1f, dhCarry, dH0.data());
    }
    // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dW_hh += Σ_t da_tᵀ h_{t−1}, one matmul over the chunk
    if (dWeightHh != null) {
      float[] hPrevAll = Arrays.copyOf(hs, steps * block);   // h_0 … h_{L−1}, time-major like dAByStep
      Kernels.matmulTransA(dAByStep, hPrevAll, dWeightHh.data(), hidden, rows, hidden);
    }
    if (dBiasHh != null) {
      ElementwiseKernels.sumRowsInto(1f, dAByStep, dBiasHh.data(), hidden);
    }
    // gi = x W_ihᵀ + b_ih  ⇒  dW_ih += dAᵀ x, db_ih += Σ dA, dx += dA W_ih
    if (dWeightIh != null) {
      Kernels.matmulTransA(dA, s.x().data(), dWeightIh.data(), hidden, rows, s.in());
    }
    if (dBiasIh != null) {
      ElementwiseKernels.sumRowsInto(1f, dA, dBiasIh.data(), hidden);
    }
    if (dX != null) {
      Kernels.matmul(dA, s.weightIh().data(), dX.data(), rows, hidden, s.in());
    }
  }
}
