/**
 * Updating parameters from their gradients.
 *
 * <p>Reading order: {@link dev.tapegrad.optim.Optimizer} (step and zeroGrad),
 * {@link dev.tapegrad.optim.Sgd} (gradient descent with momentum), {@link dev.tapegrad.optim.Adam}
 * (the update written out, with PyTorch's semantics; both keep their state by parameter name and
 * take their settings by name from a builder), {@link dev.tapegrad.optim.AdamW} (Adam with
 * decoupled weight decay), and
 * {@link dev.tapegrad.optim.GradClip} (global-norm clipping, the remedy for exploding gradients in
 * back-propagation through time).
 */
package dev.tapegrad.optim;
