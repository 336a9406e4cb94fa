package io.rivulet.engine.internal.checkpoint;

import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * What a checkpoint location holds for the life of a query: written once, on first start.
 *
 * @param queryId the query's id, the same across restarts
 * @param formatVersion the format version the location was created with
 * @param maxParallelism the number of key groups state is kept in
 * @param fingerprint the stateful plan fingerprint of the first start
 */
record Metadata(UUID queryId, int formatVersion, int maxParallelism, String fingerprint) {
    static final String KIND = "checkpoint metadata";

    void write(Path file, FaultInjector faults) throws IOException {
        SnapshotOutput body = new SnapshotOutput(64 + fingerprint.length());
        body.writeLong(queryId.getMostSignificantBits()).writeLong(queryId.getLeastSignificantBits());
        body.writeInt(formatVersion).writeInt(maxParallelism).writeString(fingerprint);
        CheckpointFiles.writeAtomically(file, CheckpointFiles.frame(CheckpointFiles.METADATA_MAGIC, body), faults);
    }

    static Metadata read(Path file) {
        SnapshotInput in = CheckpointFiles.readFrame(file, CheckpointFiles.METADATA_MAGIC, KIND);
        try {
            UUID id = new UUID(in.readLong(), in.readLong());
            return new Metadata(id, in.readInt(), in.readInt(), in.readString());
        } catch (StateFormatException e) {
            throw new CheckpointException(KIND + " " + file + " is damaged: " + e.getMessage(), e);
        }
    }
}
