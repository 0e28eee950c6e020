/**
 * Generating text: {@link dev.tapegrad.rnn.sample.Sampler} primes the model with a text, then
 * draws each next character from softmax(logits / temperature), with optional top-k, top-p and a
 * windowed repetition penalty, through the model's tape-free stepper.
 */
package dev.tapegrad.rnn.sample;
