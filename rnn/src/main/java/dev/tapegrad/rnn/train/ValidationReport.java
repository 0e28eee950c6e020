package dev.tapegrad.rnn.train;

/**
 * A validation measurement: every {@code evalEvery} steps and at every epoch's end.
 *
 * @param step steps taken in the whole run
 * @param chars characters trained on in the whole run
 * @param valLoss the validation loss, nats per character
 * @param improved whether it is the lowest so far (the listener saves the best model then)
 * @param bestValLoss the lowest so far, including this one
 * @param evalsSinceBest measurements since the best one (0 when {@code improved})
 * @param elapsedSeconds wall time of the whole run
 */
public record ValidationReport(long step, long chars, double valLoss, boolean improved, double bestValLoss,
    int evalsSinceBest, double elapsedSeconds) {}
