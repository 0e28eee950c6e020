package dev.tapegrad.rnn;

import dev.tapegrad.tensor.Tensor;
import java.util.List;

/**
 * What a resumed run needs besides the model's weights: Adam's moments and step count, the
 * random generator's state, the elapsed time and the best validation loss so far. Saved beside the
 * model file, so that the model file stays a clean PyTorch state_dict.
 *
 * @param step steps taken (also Adam's step count)
 * @param randomState the chunk sampler's {@link SplitMix64} state
 * @param elapsedSeconds wall time of the run so far
 * @param bestValLoss the lowest validation loss seen (NaN if none)
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
