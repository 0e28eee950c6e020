/**
 * Layers: objects that own parameters and compose ops, with no backward code of their own.
 *
 * <p>Reading order: {@link dev.tapegrad.nn.Module} (named parameters, as a PyTorch
 * {@code state_dict}), {@link dev.tapegrad.nn.Linear}, {@link dev.tapegrad.nn.Embedding}, then
 * {@link dev.tapegrad.nn.GruCell} (one GRU time step written as primitive ops, line for line the
 * GRU equations) and {@link dev.tapegrad.nn.Gru} (the cell unrolled in time over a sequence, or the
 * same parameters run by the fused op), then {@link dev.tapegrad.nn.GruStepper} (one step at a time,
 * without a tape, for sampling). The LSTM ({@link dev.tapegrad.nn.LstmCell},
 * {@link dev.tapegrad.nn.Lstm}, {@link dev.tapegrad.nn.LstmStepper}) and the plain tanh RNN
 * ({@link dev.tapegrad.nn.RnnCell}, {@link dev.tapegrad.nn.Rnn}, {@link dev.tapegrad.nn.RnnStepper})
 * follow the same pattern, as do their dropout overloads.
 */
package dev.tapegrad.nn;
