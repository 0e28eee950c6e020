package dev.tapegrad.rnn.train;

import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.SplitMix64;
import dev.tapegrad.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a resumed run needs besides the model's weights: Adam's moments and step count, the random
 * generators' states, the elapsed time, the validation record and, for stateful training, the
 * state each batch row carries into its next chunk. Saved beside the model file, so that the model
 * file stays a clean PyTorch state_dict.
 *
 * <p>Together with the weights this is the whole state of a run: a run resumed from it draws the
 * same chunks and dropout masks in the same order and takes bitwise the same steps as one that was
 * never stopped (only {@code elapsedSeconds} differs, and with it a time-bounded learning-rate
 * schedule, see {@link LearningRateSchedule}).
 *
 * @param step steps taken (also Adam's step count)
 * @param randomState the chunk sampler's {@link SplitMix64} state
 * @param dropoutRandomState the dropout masks' {@link SplitMix64} state
 * @param elapsedSeconds wall time of the run so far
 * @param bestValLoss the lowest validation loss measured so far (NaN if none yet)
 * @param evalsSinceBest validation measurements since the best one (for {@code --patience})
 * @param firstMoments Adam's m by parameter name, in {@link CharModel#namedParameters()} order
 * @param secondMoments Adam's v by parameter name, same order
 * @param carried the recurrent state carried into the next chunk, N×H each: every layer's h, then
 *     (LSTM) every layer's c; empty when training is not stateful or an epoch has just ended
 * @param epochNats the summed training loss (nats) of the current epoch's steps so far, so that a run
 *     resumed in the middle of an epoch reports that epoch's mean over all its steps
 * @param epochChars the characters those steps predicted
 */
public record TrainingState(long step, long randomState, long dropoutRandomState, double elapsedSeconds,
    double bestValLoss, int evalsSinceBest, Map<String, Tensor> firstMoments, Map<String, Tensor> secondMoments,
    List<Tensor> carried, double epochNats, long epochChars) {

  /** Copies the maps (keeping their order) and the list. */
  public TrainingState {
    firstMoments = Collections.unmodifiableMap(new LinkedHashMap<>(firstMoments));
    secondMoments = Collections.unmodifiableMap(new LinkedHashMap<>(secondMoments));
    carried = List.copyOf(carried);
  }

  /**
   * A state at an epoch's start (no steps of the current epoch yet), as states saved before the
   * epoch's running sum was kept are read.
   *
   * @param step steps taken
   * @param randomState the chunk sampler's state
   * @param dropoutRandomState the dropout masks' state
   * @param elapsedSeconds wall time so far
   * @param bestValLoss the lowest validation loss so far
   * @param evalsSinceBest validation measurements since the best one
   * @param firstMoments Adam's m by parameter name
   * @param secondMoments Adam's v by parameter name
   * @param carried the carried recurrent state
   */
  public TrainingState(long step, long randomState, long dropoutRandomState, double elapsedSeconds,
      double bestValLoss, int evalsSinceBest, Map<String, Tensor> firstMoments, Map<String, Tensor> secondMoments,
      List<Tensor> carried) {
    this(step, randomState, dropoutRandomState, elapsedSeconds, bestValLoss, evalsSinceBest, firstMoments,
        secondMoments, carried, 0, 0);
  }
}
