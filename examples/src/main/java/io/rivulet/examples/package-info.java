/**
 * Runnable examples, the first code a newcomer runs: the trading demo ({@code bin/demo}), Spark's
 * socket word count against {@code nc -lk 9999}, and the rate source printed to the console. Each
 * {@code *Main} is started with {@code bin/example <Name> [args]}.
 */
package io.rivulet.examples;
