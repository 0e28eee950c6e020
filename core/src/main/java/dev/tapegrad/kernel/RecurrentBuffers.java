package dev.tapegrad.kernel;

/**
 * The buffers a recurrent layer's gate math works in over one chunk, and the offsets of the batch
 * row it is working on: what {@code dev.tapegrad.ops.CellKind}'s scalar gate math and
 * {@link GateSimd} read and write. N sequences of L steps, hidden width H, G·H gate columns and
 * A·H saved columns per row (G gate blocks, A saved activations). Time-major buffers hold step
 * t's N rows as block t; batch-first ones hold sequence b's step t at row b·L + t, the order of
 * the layer's input. Filled and sized by {@code dev.tapegrad.ops.FusedRecurrent}, whose
 * workspace this is; {@link #at} moves the offsets to one row.
 */
public class RecurrentBuffers {
  /** N, L and H of the current chunk. */
  public int batch;
  public int steps;
  public int hidden;
  /** Forward: gi = x W_ihᵀ + b_ih, N·L × G·H, batch-first. */
  public float[] gi;
  /** Forward: this step's gh = h_{t−1} W_hhᵀ + b_hh, N × G·H. */
  public float[] gh;
  /** h_0 … h_L, (L+1) × N × H, time-major: step t reads block t and writes block t + 1. */
  public float[] h;
  /** c_0 … c_L likewise, for the LSTM. */
  public float[] c;
  /** Every step's saved activations, L × N × A·H, time-major. */
  public float[] saved;
  /** H floats for the SIMD gate kernels' intermediate values. */
  public float[] scratch;
  /** Backward: the gradient reaching h_t (and c_t) from outside the step, N × H. */
  public float[] dh;
  public float[] dc;
  /** Backward: receives the gradient of gi, N·L × G·H, batch-first, and of this step's gh, N × G·H. */
  public float[] dGi;
  public float[] dGh;
  /** Backward: receives the parts of the gradients on h_{t−1} and c_{t−1} that the gate math gives, N × H. */
  public float[] dhPrev;
  public float[] dcPrev;
  /**
   * Offsets of row (b, t): in gi and dGi, in gh and dGh, of h and c before and after the step, in
   * saved, and of row b in the N × H buffers.
   */
  public int giAt;
  public int ghAt;
  public int prevAt;
  public int nextAt;
  public int savedAt;
  public int rowAt;
  /** G·H and A·H: the gate columns and the saved columns of one row. */
  protected int gateWidth;
  protected int savedWidth;

  /** Creates empty buffers. */
  protected RecurrentBuffers() {}

  /**
   * Sets the sizes of the chunk.
   *
   * @param gates G, gate blocks per row
   * @param savedBlocks A, saved activations per row
   * @param batch N
   * @param steps L
   * @param hidden H
   */
  protected void size(int gates, int savedBlocks, int batch, int steps, int hidden) {
    this.batch = batch;
    this.steps = steps;
    this.hidden = hidden;
    this.gateWidth = gates * hidden;
    this.savedWidth = savedBlocks * hidden;
  }

  /**
   * Points the offsets at sequence b's step t.
   *
   * @param t the step, from 0
   * @param b the sequence, from 0
   * @return this
   */
  public RecurrentBuffers at(int t, int b) {
    giAt = (b * steps + t) * gateWidth;
    ghAt = b * gateWidth;
    prevAt = (t * batch + b) * hidden;
    nextAt = prevAt + batch * hidden;
    savedAt = (t * batch + b) * savedWidth;
    rowAt = b * hidden;
    return this;
  }
}
