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
 */
public record TrainingState(long step, long randomState, long dropoutRandomState, double elapsedSeconds,
    double bestValLoss, int evalsSinceBest, Map<String, Tensor> firstMoments, Map<String, Tensor> secondMoments,
    List<Tensor> carried) {

  /** Copies the maps (keeping their order) and the list. */
  public TrainingState {
    firstMoments = Collections.unmodifiableMap(new LinkedHashMap<>(firstMoments));
    secondMoments = Collections.unmodifiableMap(new LinkedHashMap<>(secondMoments));
    carried = List.copyOf(carried);
  }
}
