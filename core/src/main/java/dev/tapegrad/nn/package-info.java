/**
 * Layers: objects that own parameters and compose ops, with no backward code of their own.
 *
 * <p>Reading order: {@link dev.tapegrad.nn.Module} (named parameters, as a PyTorch
 * {@code state_dict}: a layer's own, and its submodules' under dotted names; no layer held in a
 * field can be left out; train and eval modes), {@link dev.tapegrad.nn.AbstractModule} (layers
 * registered as they are created), {@link dev.tapegrad.nn.ModuleList},
 * {@link dev.tapegrad.nn.Linear}, {@link dev.tapegrad.nn.Embedding}, {@link dev.tapegrad.nn.LayerNorm}, {@link dev.tapegrad.nn.Dropout}, then the
 * recurrent layers: {@link dev.tapegrad.nn.RecurrentCell} (one time step of a plain RNN, a GRU or
 * an LSTM written as primitive ops, the three cells' equations side by side),
 * {@link dev.tapegrad.nn.State} (what a layer carries from step to step),
 * {@link dev.tapegrad.nn.Recurrent} (cells stacked in layers and unrolled in time over a sequence,
 * or the same parameters run by the fused op, see {@link dev.tapegrad.nn.Implementation}), and
 * {@link dev.tapegrad.nn.RecurrentStepper} (one step at a time, without a tape, for sampling).
 */
package dev.tapegrad.nn;
