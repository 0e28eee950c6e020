/**
 * Reading and writing files: the safetensors checkpoint format and the small JSON codec it needs.
 *
 * <p>Reading order: {@link dev.tapegrad.io.Safetensors} (the format, the atomic writer and the
 * checking reader), {@link dev.tapegrad.io.SafetensorsFormatException} (the one exception for bad
 * bytes), {@link dev.tapegrad.io.StateDict} (any module's parameters saved and loaded by name,
 * strictly or not), then {@link dev.tapegrad.io.Json} (a strict RFC 8259 parser and writer).
 */
package dev.tapegrad.io;
