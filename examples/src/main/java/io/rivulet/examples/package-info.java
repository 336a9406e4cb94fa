/**
 * Runnable examples, the first code a newcomer runs: the trading demo ({@code bin/demo}), Spark's
 * socket word count against {@code nc -lk 9999}, and the rate source printed to the console. The
 * {@code Structured*Main} ones are the same programs in the structured API's shape ({@code Dataset<Row>},
 * {@code col}, {@code groupBy(window(..))}, {@code readStream().schema(s).json(dir)}), line for line as Spark's. Each
 * {@code *Main} is started with {@code bin/example <Name> [args]}.
 */
package io.rivulet.examples;
