package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.Kernels;
import dev.tapegrad.kernel.LstmKernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * One LSTM layer over a whole batch-first sequence, as a single tape entry with a hand-written
 * back-propagation through time. It computes exactly what {@code dev.tapegrad.nn.LstmCell}
 * composes from primitive ops, step by step, and is tested against it.
 *
 * <p>Forward, {@code torch.nn.LSTM}'s equations and gate order (i input, f forget, g cell
 * candidate, o output), for t = 1 … L:
 * <pre>
 *   i_t = σ(W_ii x_t + b_ii + W_hi h_{t−1} + b_hi)
 *   f_t = σ(W_if x_t + b_if + W_hf h_{t−1} + b_hf)
 *   g_t = tanh(W_ig x_t + b_ig + W_hg h_{t−1} + b_hg)
 *   o_t = σ(W_io x_t + b_io + W_ho h_{t−1} + b_ho)
 *   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
 *   h_t = o_t ⊙ tanh(c_t)
 * </pre>
 *
 * <p>Shapes (N batch, L steps, In input width, H hidden): x (N, L, In); h0 and c0 (N, H);
 * weightIh (4H, In) and weightHh (4H, H), rows stacked i | f | g | o; biasIh and biasHh (4H);
 * output (N, L, 2H), row (b, t) holding [h_t | c_t], batch-first.
 *
 * <p>Note: a tape entry has one output, and the final cell state c_L must be an output with a
 * gradient path (a caller carries it to the next chunk, or a loss reads it). So the output holds
 * every c_t beside every h_t; {@code dev.tapegrad.nn.Lstm} slices h (all steps) and h_L, c_L
 * out of it with ordinary ops. PyTorch's {@code nn.LSTM} returns the h sequence and (h_L, c_L)
 * instead; the values are the same.
 *
 * <p>How the work is arranged:
 * <ul>
 *   <li>the input projection {@code gi = x W_ihᵀ + b_ih} for all N·L positions is one matmul
 *       before the loop (it does not depend on h);</li>
 *   <li>each step makes one stacked 4H-wide hidden projection {@code gh = h W_hhᵀ + b_hh}
 *       (a matrix-vector product at batch 1), then the gate math of
 *       {@link LstmKernels#stepForwardReference};</li>
 *   <li>saved per step: i, f, g, o and tanh(c_t) (stored, not recomputed: 5·N·H floats a step
 *       spare backward every transcendental function), and every h_{t−1} and c_{t−1}.</li>
 * </ul>
 *
 * <p>Backward, per step from t = L down to 1, with dh' and dc' the gradients on h_t and c_t
 * (each from the output plus what step t+1 sent back), and a_t = gi_t + gh_t the stacked
 * pre-activations:
 * <pre>
 *   dc'  += dh' ⊙ o ⊙ (1 − tanh²(c_t))          (h_t also depends on c_t)
 *   do    = dh' ⊙ tanh(c_t)
 *   di    = dc' ⊙ g      dg = dc' ⊙ i      df = dc' ⊙ c_{t−1}
 *   da_i  = di ⊙ i (1 − i)     da_f = df ⊙ f (1 − f)     da_g = dg ⊙ (1 − g²)     da_o = do ⊙ o (1 − o)
 *   dA_t  = [da_i | da_f | da_g | da_o]        (the gradient of gi_t and of gh_t alike)
 *   dc_{t−1} = dc' ⊙ f
 *   dh_{t−1} = dA_t W_hh
 * </pre>
 * The weight gradients are then one matmul each over the whole chunk, not a rank-1 update per
 * step: {@code dW_ih += dAᵀ x}, {@code dW_hh += dAᵀ H_prev}, {@code db_ih += Σ dA},
 * {@code db_hh += Σ dA}, {@code dx += dA W_ih}, {@code dh0 += dh_0} and {@code dc0 += dc_0},
 * where dA stacks every dA_t in the batch-first row order b·L + t of x for the input side, and
 * in time-major order beside H_prev (every h_{t−1}, time-major) for the hidden side, as
 * {@link FusedGru} does.
 *
 * <p>Note: unlike {@link FusedGru} there is no workspace; each call allocates its buffers.
 *
 * <pre>{@code
 * Variable hc = FusedLstm.apply(tape, x, h0, c0, weightIh, weightHh, biasIh, biasHh);  // N×L×2H
 * Variable last = SelectStep.apply(tape, hc, steps - 1);                              // N×2H: [h_L | c_L]
 * Variable cLast = SliceColumns.apply(tape, last, hidden, 2 * hidden);
 * }</pre>
 */
public final class FusedLstm {

  private FusedLstm() {}

  /** What backward needs: the input, the weights, every step's gates and previous states. */
  private record Saved(Tensor x, Tensor weightIh, Tensor weightHh, float[] hs, float[] cs, float[] i, float[] f,
      float[] g, float[] o, float[] tanhC, int batch, int steps, int in, int hidden) {}

  /**
   * Runs the layer over the sequence.
   *
   * @param tape the tape to record on
   * @param x the input sequence, N×L×In
   * @param h0 the initial hidden state, N×H (a constant of zeros for a fresh start)
   * @param c0 the initial cell state, N×H
   * @param weightIh W_ih, 4H×In, rows i | f | g | o
   * @param weightHh W_hh, 4H×H, rows i | f | g | o
   * @param biasIh b_ih, 4H
   * @param biasHh b_hh, 4H
   * @return every step's [h_t | c_t], N×L×2H
   * @throws IllegalArgumentException naming the shapes if they do not fit together
   */
  public static Variable apply(Tape tape, Variable x, Variable h0, Variable c0, Variable weightIh,
      Variable weightHh, Variable biasIh, Variable biasHh) {
    Checks.requireRank("FusedLstm", "x", x, 3);
    Checks.requireRank("FusedLstm", "h0", h0, 2);
    int batch = x.shape().dim(0);
    int steps = x.shape().dim(1);
    int in = x.shape().dim(2);
    int hidden = h0.shape().dim(1);
    int gates = 4 * hidden;
    if (h0.shape().dim(0) != batch || !c0.shape().equals(h0.shape())
        || !weightIh.shape().equals(Shape.of(gates, in)) || !weightHh.shape().equals(Shape.of(gates, hidden))
        || !biasIh.shape().equals(Shape.of(gates)) || !biasHh.shape().equals(Shape.of(gates))) {
      throw new IllegalArgumentException("FusedLstm: shapes do not fit: x " + x.shape() + ", h0 " + h0.shape()
          + ", c0 " + c0.shape() + ", weight_ih " + weightIh.shape() + ", weight_hh " + weightHh.shape()
          + ", bias_ih " + biasIh.shape() + ", bias_hh " + biasHh.shape()
          + " (need x (N, L, In), h0 and c0 (N, H), weights (4H, In) and (4H, H), biases (4H))");
    }
    int rows = batch * steps;
    int block = batch * hidden;

    // gi = x W_ihᵀ + b_ih for all N·L positions at once; row b·L + t
    float[] gi = new float[rows * gates];
    ElementwiseKernels.fillRows(gi, biasIh.value().data(), rows);
    Kernels.matmulTransB(x.value().data(), weightIh.value().data(), gi, rows, in, gates);

    // hs and cs hold h_0 … h_L and c_0 … c_L time-major: step t reads block t and writes block t + 1
    float[] hs = new float[(steps + 1) * block];
    float[] cs = new float[(steps + 1) * block];
    System.arraycopy(h0.value().data(), 0, hs, 0, block);
    System.arraycopy(c0.value().data(), 0, cs, 0, block);
    float[] i = new float[steps * block];
    float[] f = new float[steps * block];
    float[] g = new float[steps * block];
    float[] o = new float[steps * block];
    float[] tanhC = new float[steps * block];
    float[] hPrev = new float[block];
    float[] gh = new float[batch * gates];
    float[] wHh = weightHh.value().data();
    float[] bHh = biasHh.value().data();
    for (int t = 0; t < steps; t++) {
      // gh = h_{t−1} W_hhᵀ + b_hh: one stacked 4H-wide product (a matrix-vector product at batch 1)
      ElementwiseKernels.fillRows(gh, bHh, batch);
      if (batch == 1) {
        Kernels.matvec(wHh, 0, hs, t * block, gh, 0, gates, hidden);
      } else {
        System.arraycopy(hs, t * block, hPrev, 0, block);
        Kernels.matmulTransB(hPrev, wHh, gh, batch, hidden, gates);
      }
      // i, f, g, o, c_t and h_t from gi_t and gh
      LstmKernels.stepForwardReference(gi, t * gates, steps * gates, gh, cs, t * block, i, f, g, o, tanhC,
          t * block, cs, hs, (t + 1) * block, batch, hidden);
    }

    // output[b, t, :] = [h_{t+1}[b, :] | c_{t+1}[b, :]]: batch-first, as PyTorch's batch_first=True
    Tensor out = Tensor.zeros(batch, steps, 2 * hidden);
    float[] y = out.data();
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        int row = (b * steps + t) * 2 * hidden;
        System.arraycopy(hs, (t + 1) * block + b * hidden, y, row, hidden);
        System.arraycopy(cs, (t + 1) * block + b * hidden, y, row + hidden, hidden);
      }
    }
    Variable result = tape.output("FusedLstm", out, x, h0, c0, weightIh, weightHh, biasIh, biasHh);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), weightIh.value(), weightHh.value(), hs, cs, i, f, g, o, tanhC, batch,
          steps, in, hidden);
      tape.record("FusedLstm", result, dOut -> backward(dOut, saved, x.gradBuffer(), h0.gradBuffer(),
          c0.gradBuffer(), weightIh.gradBuffer(), weightHh.gradBuffer(), biasIh.gradBuffer(), biasHh.gradBuffer()),
          x, h0, c0, weightIh, weightHh, biasIh, biasHh);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dH0, Tensor dC0, Tensor dWeightIh,
      Tensor dWeightHh, Tensor dBiasIh, Tensor dBiasHh) {
    int batch = s.batch();
    int steps = s.steps();
    int hidden = s.hidden();
    int gates = 4 * hidden;
    int rows = batch * steps;
    int block = batch * hidden;
    float[] dY = dOut.data();
    float[] hs = s.hs();
    // W_hhᵀ (H×4H), so that each step's dh_{t−1} = dA_t W_hh is a row-contiguous product
    float[] wHhT = new float[gates * hidden];
    ElementwiseKernels.transpose(s.weightHh().data(), gates, hidden, wHhT);

    float[] dA = new float[rows * gates];          // every dA_t, batch-first rows b·L + t (input side)
    float[] dAByStep = new float[rows * gates];    // the same, time-major (hidden side, beside h_{t−1})
    float[] dAStep = new float[batch * gates];     // this step's dA_t, B×4H
    float[] dh = new float[block];                 // dh' on h_t
    float[] dc = new float[block];                 // dc' on c_t, from outside step t
    float[] dhCarry = new float[block];            // sent back to h_{t−1}
    float[] dcCarry = new float[block];            // sent back to c_{t−1}
    for (int t = steps - 1; t >= 0; t--) {
      // dh' = dOutput[:, t, :H] + carried dh;  dc' = dOutput[:, t, H:] + carried dc
      for (int b = 0; b < batch; b++) {
        int row = (b * steps + t) * 2 * hidden;
        for (int j = 0; j < hidden; j++) {
          dh[b * hidden + j] = dY[row + j] + dhCarry[b * hidden + j];
          dc[b * hidden + j] = dY[row + hidden + j] + dcCarry[b * hidden + j];
        }
      }
      // gate gradients dA_t; dcCarry := dc' ⊙ f (c_{t−1}'s only path is through f ⊙ c_{t−1})
      LstmKernels.stepBackwardReference(dh, dc, s.cs(), t * block, s.i(), s.f(), s.g(), s.o(), s.tanhC(),
          t * block, dAStep, 0, dcCarry, batch, hidden);
      // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dh_{t−1} = dA_t W_hh = (W_hhᵀ dA_tᵀ)ᵀ; h_{t−1} has no other path
      Arrays.fill(dhCarry, 0f);
      if (batch == 1) {
        Kernels.matvec(wHhT, 0, dAStep, 0, dhCarry, 0, hidden, gates);
      } else {
        Kernels.matmulTransB(dAStep, wHhT, dhCarry, batch, gates, hidden);
      }
      // keep dA_t for the weight gradients, in the batch-first order of gi and the time-major order of hs
      for (int b = 0; b < batch; b++) {
        System.arraycopy(dAStep, b * gates, dA, (b * steps + t) * gates, gates);
      }
      System.arraycopy(dAStep, 0, dAByStep, t * batch * gates, batch * gates);
    }
    // h_0 and c_0 are inputs: they receive what step 1 sent back
    if (dH0 != null) {
      ElementwiseKernels.axpy(1f, dhCarry, dH0.data());
    }
    if (dC0 != null) {
      ElementwiseKernels.axpy(1f, dcCarry, dC0.data());
    }
    // gh_t = h_{t−1} W_hhᵀ + b_hh  ⇒  dW_hh += Σ_t dA_tᵀ h_{t−1}, one matmul over the chunk
    if (dWeightHh != null) {
      float[] hPrevAll = Arrays.copyOf(hs, steps * block);   // h_0 … h_{L−1}, time-major like dAByStep
      Kernels.matmulTransA(dAByStep, hPrevAll, dWeightHh.data(), gates, rows, hidden);
    }
    if (dBiasHh != null) {
      ElementwiseKernels.sumRowsInto(1f, dAByStep, dBiasHh.data(), gates);
    }
    // gi = x W_ihᵀ + b_ih  ⇒  dW_ih += dAᵀ x, db_ih += Σ dA, dx += dA W_ih
    if (dWeightIh != null) {
      Kernels.matmulTransA(dA, s.x().data(), dWeightIh.data(), gates, rows, s.in());
    }
    if (dBiasIh != null) {
      ElementwiseKernels.sumRowsInto(1f, dA, dBiasIh.data(), gates);
    }
    if (dX != null) {
      Kernels.matmul(dA, s.weightIh().data(), dX.data(), rows, gates, s.in());
    }
  }
}
