/**
 * Layers: objects that own parameters and compose ops, with no backward code of their own.
 *
 * <p>Reading order: {@link dev.tapegrad.nn.Module} (named parameters, as a PyTorch
 * {@code state_dict}), {@link dev.tapegrad.nn.Linear}, {@link dev.tapegrad.nn.Embedding}, then
 * {@link dev.tapegrad.nn.GruCell} (one GRU time step written as primitive ops, line for line the
 * GRU equations) and {@link dev.tapegrad.nn.Gru} (the cell unrolled in time over a sequence, or the
 * same parameters run by the fused op).
 */
package dev.tapegrad.nn;
