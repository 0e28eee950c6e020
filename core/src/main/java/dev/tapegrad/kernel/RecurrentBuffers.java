package dev.tapegrad.kernel;

/**
 * The buffers a recurrent layer works in over one chunk, and the offsets of the batch row its gate
 * math is working on: what {@link GateKernels} reads and writes, and the loop of
 * {@code dev.tapegrad.ops.FusedRecurrent} around it. N sequences of L steps, hidden width H, G·H
 * gate columns and A·H saved columns per row (G gate blocks, A saved activations). Time-major
 * buffers hold step t's N rows as block t; batch-first ones hold sequence b's step t at row
 * b·L + t, the order of the layer's input. {@link #prepare} sizes the forward's buffers,
 * {@link #prepareBackward} the backward's, each reusing an array whose size is already right, so
 * that steady-state training allocates nothing; {@link #at} moves the offsets to one row.
 *
 * <p>Internal, like the rest of this package: the exported {@code FusedRecurrent.Workspace} has
 * one of these, it is not one.
 */
public final class RecurrentBuffers {
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
  /** Forward at batch N > 1: h_{t−1} copied out of {@link #h}, N × H, the left operand of the step's product. */
  public float[] hPrev;
  /** Backward: the gradient reaching h_t (and c_t) from outside the step, N × H. */
  public float[] dh;
  public float[] dc;
  /** Backward: receives the gradient of gi, N·L × G·H, batch-first, and of this step's gh, N × G·H. */
  public float[] dGi;
  public float[] dGh;
  /** Backward: every step's dgh, L × N × G·H, time-major, and h_0 … h_{L−1} beside it, for dW_hh. */
  public float[] dGhAll;
  public float[] hPrevAll;
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
  private int gateWidth;
  private int savedWidth;
  /** Whether the cell carries c beside h. */
  private boolean cellState;

  /** Creates empty buffers; {@link #prepare} sizes them. */
  public RecurrentBuffers() {}

  /**
   * Sets the sizes of the chunk and sizes the forward's buffers for them: gi, gh, h, c (when the
   * cell has it), saved, scratch and hPrev.
   *
   * @param gates G, gate blocks per row
   * @param savedBlocks A, saved activations per row
   * @param states 2 when the cell carries c beside h (the LSTM), else 1
   * @param batch N
   * @param steps L
   * @param hidden H
   * @return this
   */
  public RecurrentBuffers prepare(int gates, int savedBlocks, int states, int batch, int steps, int hidden) {
    this.batch = batch;
    this.steps = steps;
    this.hidden = hidden;
    this.gateWidth = gates * hidden;
    this.savedWidth = savedBlocks * hidden;
    this.cellState = states == 2;
    int block = batch * hidden;
    gi = sized(gi, batch * steps * gateWidth);
    gh = sized(gh, batch * gateWidth);
    h = sized(h, (steps + 1) * block);
    c = cellState ? sized(c, (steps + 1) * block) : c;
    saved = sized(saved, steps * batch * savedWidth);
    scratch = sized(scratch, hidden);
    hPrev = sized(hPrev, block);
    return this;
  }

  /**
   * Sizes the backward's buffers for the chunk {@link #prepare} last set: dGi, dGh, dGhAll,
   * hPrevAll, dh and dhPrev, and dc and dcPrev when the cell has c.
   *
   * @return this
   */
  public RecurrentBuffers prepareBackward() {
    int block = batch * hidden;
    dGi = sized(dGi, batch * steps * gateWidth);
    dGh = sized(dGh, batch * gateWidth);
    dGhAll = sized(dGhAll, steps * batch * gateWidth);
    hPrevAll = sized(hPrevAll, steps * block);
    dh = sized(dh, block);
    dhPrev = sized(dhPrev, block);
    if (cellState) {
      dc = sized(dc, block);
      dcPrev = sized(dcPrev, block);
    }
    return this;
  }

  /** {@return G, the gate blocks per row, as {@link #prepare} last set it} */
  public int gates() {
    return hidden == 0 ? 0 : gateWidth / hidden;
  }

  /** {@return A, the saved activation blocks per row, as {@link #prepare} last set it} */
  public int savedBlocks() {
    return hidden == 0 ? 0 : savedWidth / hidden;
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

  /** Returns {@code current} if it has exactly {@code size} floats, else a new array. */
  private static float[] sized(float[] current, int size) {
    return current != null && current.length == size ? current : new float[size];
  }
}
