/**
 * Durable, replayable logs on Chronicle Queue: append a record and get its offset, read forward from
 * an offset, roll and retain cycles, detect torn writes, encode records to Chronicle Bytes.
 *
 * <p>This module knows nothing of streams, operators or the engine's threads. Its API arrives with
 * the journal issue; today the module carries the Chronicle dependency and the build's JVM flags,
 * checked by {@code ChronicleEnvironmentTest}.
 */
package io.rivulet.journal;
