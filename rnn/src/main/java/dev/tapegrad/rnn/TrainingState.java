package dev.tapegrad.rnn;

import dev.tapegrad.tensor.Tensor;
import java.util.List;

/**
 * What a resumed run needs besides the model's weights: Adam's moments and step count, the
 * random generator's state, the elapsed time and the best validation loss so far. Saved beside the
 * model file, so that the model file stays a clean PyTorch state_dict.
 *
 * <p>Together with the weights this is the whole state of a run: a run resumed from it draws the
 * same chunks in the same order and takes bitwise the same steps as one that was never stopped
 * (only {@code elapsedSeconds} differs).
 *
 * @param step steps taken (also Adam's step count)
 * @param randomState the chunk sampler's {@link SplitMix64} state
 * @param elapsedSeconds wall time of the run so far
 * @param bestValLoss the lowest validation loss measured at an epoch's end (NaN if none yet)
 * @param firstMoments Adam's m, one per parameter in {@link CharModel#namedParameters()} order
 * @param secondMoments Adam's v, same order
 */
public record TrainingState(long step, long randomState, double elapsedSeconds, double bestValLoss,
    List<Tensor> firstMoments, List<Tensor> secondMoments) {

  /** Copies the lists. */
  public TrainingState {
    firstMoments = List.copyOf(firstMoments);
    secondMoments = List.copyOf(secondMoments);
  }
}
