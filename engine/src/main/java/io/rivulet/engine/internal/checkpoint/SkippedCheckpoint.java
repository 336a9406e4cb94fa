package io.rivulet.engine.internal.checkpoint;

import java.nio.file.Path;

/**
 * A complete checkpoint that loading passed over because it did not verify.
 *
 * @param epochId the checkpoint's epoch
 * @param manifest its manifest file
 * @param reason what was wrong, naming the damaged file
 */
public record SkippedCheckpoint(long epochId, Path manifest, String reason) {
}
