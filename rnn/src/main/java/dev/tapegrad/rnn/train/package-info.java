/**
 * Training and evaluation. Read in this order: {@link dev.tapegrad.rnn.train.TrainConfig} (every
 * setting of a run, validated) and {@link dev.tapegrad.rnn.train.TrainPreset} (named defaults),
 * {@link dev.tapegrad.rnn.train.LearningRateSchedule}, {@link dev.tapegrad.rnn.train.TrainingBatches}
 * (random chunks, or stateful rows that each walk their own stretch of the text),
 * {@link dev.tapegrad.rnn.train.Trainer} (the loop: forward, loss, backward, clip, Adam; validation,
 * best model, patience, stop requests) and the reports it sends to its listener
 * ({@link dev.tapegrad.rnn.train.StepReport}, {@link dev.tapegrad.rnn.train.ValidationReport},
 * {@link dev.tapegrad.rnn.train.EpochReport}), {@link dev.tapegrad.rnn.train.TrainingState} (what a
 * resume needs) and {@link dev.tapegrad.rnn.train.Evaluator} (the held-out loss, state carried
 * through the text).
 */
package dev.tapegrad.rnn.train;
