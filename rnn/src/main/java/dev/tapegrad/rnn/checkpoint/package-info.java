/**
 * A run on disk: {@link dev.tapegrad.rnn.checkpoint.Checkpoint} writes and reads the model (a
 * safetensors file PyTorch loads) and the training state as a pair that always matches, and
 * {@link dev.tapegrad.rnn.checkpoint.RunFiles} keeps the rest of a run directory: the metrics and
 * the loss plot ({@link dev.tapegrad.rnn.checkpoint.LossPlot}). {@link dev.tapegrad.rnn.checkpoint.RunLock}
 * makes sure one process writes a run directory at a time.
 */
package dev.tapegrad.rnn.checkpoint;
