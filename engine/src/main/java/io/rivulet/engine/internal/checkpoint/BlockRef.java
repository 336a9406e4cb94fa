package io.rivulet.engine.internal.checkpoint;

/**
 * Where one key group's (or one partition's operator state) bytes lie.
 *
 * @param file the state file
 * @param offset the first byte in the file
 * @param length bytes
 * @param crc their CRC32C
 */
record BlockRef(StateFile file, long offset, int length, int crc) {
}
