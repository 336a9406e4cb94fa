/**
 * The live progress line of the command-line tools ({@code bin/demo}, {@code bin/example},
 * {@code bin/bench}): {@link io.rivulet.engine.internal.terminal.ProgressLine} formats a query's last
 * {@code QueryProgress} as one line and shows it on standard error, rewritten in place on a terminal
 * and as a plain line every few seconds otherwise. Internal: the examples and the bench use it; not
 * public API.
 *
 * <pre>
 *  query --lastProgress()--> Watch thread "progress-line" (every 500 ms) --> ProgressLine.show --> stderr
 *  tool's stdout --interleaving(stdout)--> erases the line first (terminal mode) --> stdout
 * </pre>
 */
package io.rivulet.engine.internal.terminal;
