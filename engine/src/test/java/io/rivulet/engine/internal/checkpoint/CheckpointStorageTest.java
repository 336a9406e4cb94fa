package io.rivulet.engine.internal.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointStorageTest {
    private static final int MAX_PARALLELISM = 8;
    private static final String AGG = "agg";
    private static final String JOIN = "join";

    @TempDir
    Path location;

    @Test
    void shouldRoundTripPositionsStateAndPropertiesAcrossReopen() {
        try (CheckpointStorage storage = open()) {
            CheckpointBuilder builder = storage.begin(0);
            for (int g = 0; g < MAX_PARALLELISM; g += 2) {
                byte[] padded = new byte[200];
                System.arraycopy(block(g, 100), 0, padded, 50, 100);
                builder.putKeyGroup(AGG, g, padded, 50, 100);
            }
            builder.putKeyGroup(JOIN, 7, block(70, 3_000_000), 0, 3_000_000);
            builder.putOperatorState(AGG, 1, block(11, 10));
            builder.putOperatorState(AGG, 0, block(10, 10));
            builder.putSourcePosition("rate", 0, new byte[] {1, 2});
            builder.putSourcePosition("rate", 1, new byte[] {3});
            builder.putProperty("watermark.task-0", "1000");
            builder.putProperty("runId", "r1");
            Checkpoint written = builder.complete();
            assertThat(written.epochId()).isZero();
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isZero();
            assertThat(checkpoint.skippedNewer()).isEmpty();
            assertThat(checkpoint.operatorIds()).containsExactly(AGG, JOIN);
            assertThat(checkpoint.keyGroups(AGG)).containsExactly(0, 2, 4, 6);
            for (int g = 0; g < MAX_PARALLELISM; g += 2) {
                assertThat(checkpoint.readKeyGroup(AGG, g)).isEqualTo(block(g, 100));
            }
            assertThat(checkpoint.readKeyGroup(JOIN, 7)).isEqualTo(block(70, 3_000_000));
            assertThat(checkpoint.operatorStates(AGG)).containsExactly(block(10, 10), block(11, 10));
            assertThat(checkpoint.operatorStates(JOIN)).isEmpty();
            assertThat(checkpoint.sourceIds()).containsExactly("rate");
            assertThat(checkpoint.sourcePartitions("rate")).containsExactly(0, 1);
            assertThat(checkpoint.sourcePosition("rate", 0)).containsExactly(1, 2);
            assertThat(checkpoint.sourcePosition("rate", 1)).containsExactly(3);
            assertThat(checkpoint.sourcePosition("rate", 2)).isNull();
            assertThat(checkpoint.property("watermark.task-0")).isEqualTo("1000");
            assertThat(checkpoint.property("runId")).isEqualTo("r1");
            assertThat(checkpoint.property("absent")).isNull();
            assertThatThrownBy(() -> checkpoint.readKeyGroup(AGG, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key group 1 of operator 'agg'");
        }
    }

    @Test
    void shouldKeepQueryIdAndFirstFingerprintAcrossRestarts() {
        UUID id;
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan-v1")) {
            id = storage.queryId();
            assertThat(storage.storedFingerprint()).isEqualTo("plan-v1");
        }
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan-v2")) {
            assertThat(storage.queryId()).isEqualTo(id);
            assertThat(storage.storedFingerprint()).isEqualTo("plan-v1");
            assertThat(storage.maxParallelism()).isEqualTo(MAX_PARALLELISM);
        }
    }

    @Test
    void shouldReturnEmptyWhenNoCheckpointWasEverWritten() {
        try (CheckpointStorage storage = open()) {
            assertThat(storage.latestComplete()).isEmpty();
            assertThat(storage.lastCommittedEpoch()).isEqualTo(-1);
            assertThat(storage.completeEpochs()).isEmpty();
        }
        try (CheckpointStorage storage = open()) {
            assertThat(storage.latestComplete()).isEmpty();
        }
    }

    @Test
    void shouldRefuseAnotherMaxParallelismNamingBothValues() {
        open().close();
        assertThatThrownBy(() -> CheckpointStorage.open(location, 16, "plan"))
            .isInstanceOf(CheckpointException.class)
            .hasMessageContaining("maxParallelism 8").hasMessageContaining("maxParallelism 16");
        // the refused open released the lock
        open().close();
    }

    @Test
    void shouldCarryASmallCheckpointInItsManifestWithoutAStateFile() {
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan")) {
            CheckpointBuilder builder = storage.begin(0);
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                builder.putKeyGroup(AGG, g, block(g, 100), 0, 100);
            }
            builder.putOperatorState(AGG, 0, block(10, 10));
            builder.complete();
            assertThat(stateFiles()).as("a checkpoint of 810 bytes writes no state file").isEmpty();
        }
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan")) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                assertThat(checkpoint.readKeyGroup(AGG, g)).isEqualTo(block(g, 100));
            }
            assertThat(checkpoint.operatorStates(AGG)).containsExactly(block(10, 10));
        }
    }

    @Test
    void shouldMoveInlineBlocksIntoAStateFileOnceTheyOutgrowTheManifest() {
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan").inlineLimit(250)) {
            CheckpointBuilder builder = storage.begin(0);
            builder.putKeyGroup(AGG, 0, block(0, 100), 0, 100);
            builder.putOperatorState(AGG, 0, block(10, 10));
            builder.putKeyGroup(AGG, 1, block(1, 100), 0, 100);
            builder.putKeyGroup(AGG, 2, block(2, 100), 0, 100);
            builder.complete();
            assertThat(Files.exists(stateFile(0))).isTrue();
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            for (int g = 0; g < 3; g++) {
                assertThat(checkpoint.readKeyGroup(AGG, g)).isEqualTo(block(g, 100));
            }
            assertThat(checkpoint.operatorStates(AGG)).containsExactly(block(10, 10));
        }
    }

    @Test
    void shouldCopyAReusedInlineBlockSoThatItOutlivesTheManifestItCameFrom() {
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan")) {
            CheckpointBuilder first = storage.begin(0);
            first.putKeyGroup(AGG, 0, block(0, 100), 0, 100);
            first.putKeyGroup(AGG, 1, block(1, 100), 0, 100);
            first.complete();
            CheckpointBuilder second = storage.begin(1);
            second.putKeyGroup(AGG, 0, block(100, 100), 0, 100);
            assertThat(second.reuseKeyGroup(AGG, 1)).isTrue();
            second.complete();
            storage.retain(1);
            assertThat(storage.completeEpochs()).containsExactly(1L);
        }
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan")) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isEqualTo(1);
            assertThat(checkpoint.readKeyGroup(AGG, 0)).isEqualTo(block(100, 100));
            assertThat(checkpoint.readKeyGroup(AGG, 1)).isEqualTo(block(1, 100));
        }
    }

    @Test
    void shouldDetectABitFlipInAManifestWithInlineBlocksAndFallBack() throws IOException {
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan")) {
            for (long epoch = 0; epoch < 2; epoch++) {
                CheckpointBuilder builder = storage.begin(epoch);
                builder.putKeyGroup(AGG, 0, block((int) epoch, 100), 0, 100);
                builder.complete();
            }
        }
        Path manifest = location.resolve("offsets").resolve("1");
        flipBit(manifest, (int) Files.size(manifest) - 40);
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan")) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isEqualTo(0);
            assertThat(checkpoint.readKeyGroup(AGG, 0)).isEqualTo(block(0, 100));
            assertThat(checkpoint.skippedNewer()).singleElement().asString().contains(manifest.toString());
        }
    }

    @Test
    void shouldRefuseASecondStorageOnTheSameLocation() {
        try (CheckpointStorage storage = open()) {
            assertThatThrownBy(this::open).isInstanceOf(CheckpointException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void shouldReferenceUnchangedKeyGroupsAndRetainOnlyReferencedStateFiles() throws IOException {
        try (CheckpointStorage storage = open()) {
            CheckpointBuilder first = storage.begin(0);
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                first.putKeyGroup(AGG, g, block(g, 100), 0, 100);
            }
            first.complete();
            Path fileOf0 = stateFile(0);

            CheckpointBuilder second = storage.begin(1);
            second.putKeyGroup(AGG, 0, block(100, 100), 0, 100);
            for (int g = 1; g < MAX_PARALLELISM; g++) {
                assertThat(second.reuseKeyGroup(AGG, g)).isTrue();
            }
            second.complete();
            assertThat(Files.size(stateFile(1))).as("only the changed key group is written")
                .isEqualTo(StateFile.HEADER_LENGTH + 100);

            CheckpointBuilder third = storage.begin(2);
            third.putKeyGroup(AGG, 1, block(101, 100), 0, 100);
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                if (g != 1) {
                    third.reuseKeyGroup(AGG, g);
                }
            }
            third.complete();

            storage.retain(2);
            assertThat(storage.completeEpochs()).containsExactly(1L, 2L);
            assertThat(Files.exists(fileOf0)).as("checkpoints 1 and 2 still read epoch 0's file").isTrue();
            assertThat(stateFiles()).hasSize(3);

            CheckpointBuilder fourth = storage.begin(3);
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                fourth.reuseKeyGroup(AGG, g);
            }
            fourth.complete();
            storage.retain(2);
            assertThat(stateFiles()).as("checkpoint 3 wrote nothing").hasSize(3);

            CheckpointBuilder fifth = storage.begin(4);
            fifth.putKeyGroup(AGG, 0, block(200, 100), 0, 100);
            fifth.putKeyGroup(AGG, 1, block(201, 100), 0, 100);
            for (int g = 2; g < MAX_PARALLELISM; g++) {
                fifth.reuseKeyGroup(AGG, g);
            }
            fifth.complete();
            Path fileOf1 = stateFile(1);
            Path fileOf2 = stateFile(2);
            storage.retain(2);
            assertThat(storage.completeEpochs()).containsExactly(3L, 4L);
            assertThat(stateFiles()).as("checkpoint 3 still references the files of epochs 0, 1 and 2")
                .containsExactly(fileOf0, fileOf1, fileOf2, stateFile(4));
            storage.retain(1);
            assertThat(storage.completeEpochs()).containsExactly(4L);
            assertThat(stateFiles()).as("checkpoint 4 wrote key groups 0 and 1 and reads 2..7 from epoch 0's file")
                .containsExactly(fileOf0, stateFile(4));
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isEqualTo(4);
            assertThat(checkpoint.readKeyGroup(AGG, 0)).isEqualTo(block(200, 100));
            assertThat(checkpoint.readKeyGroup(AGG, 1)).isEqualTo(block(201, 100));
            for (int g = 2; g < MAX_PARALLELISM; g++) {
                assertThat(checkpoint.readKeyGroup(AGG, g)).isEqualTo(block(g, 100));
            }
        }
    }

    @Test
    void shouldCopyReusedBlocksOutOfAFileThatIsMostlyDead() throws IOException {
        try (CheckpointStorage storage = open()) {
            CheckpointBuilder first = storage.begin(0);
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                first.putKeyGroup(AGG, g, block(g, 100), 0, 100);
            }
            first.complete();
            Path fileOf0 = stateFile(0);

            CheckpointBuilder second = storage.begin(1);
            for (int g = 0; g < 5; g++) {
                second.putKeyGroup(AGG, g, block(100 + g, 100), 0, 100);
            }
            for (int g = 5; g < MAX_PARALLELISM; g++) {
                second.reuseKeyGroup(AGG, g);
            }
            second.complete();
            assertThat(Files.size(stateFile(1))).as("3 of 8 blocks live in epoch 0's file: copied")
                .isEqualTo(StateFile.HEADER_LENGTH + 8 * 100);

            storage.retain(1);
            assertThat(Files.exists(fileOf0)).isFalse();
            assertThat(stateFiles()).hasSize(1);
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                assertThat(checkpoint.readKeyGroup(AGG, g)).isEqualTo(block(g < 5 ? 100 + g : g, 100));
            }
        }
    }

    @Test
    void shouldCopyLiveBlocksOfAMostlyDeadFileIntoTheManifestWhenTheyFitInline() throws IOException {
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan").inlineLimit(500)) {
            CheckpointBuilder first = storage.begin(0);
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                first.putKeyGroup(AGG, g, block(g, 100), 0, 100);
            }
            first.complete();
            Path fileOf0 = stateFile(0);

            CheckpointBuilder second = storage.begin(1);
            for (int g = 0; g < 5; g++) {
                second.putKeyGroup(AGG, g, block(100 + g, 10), 0, 10);
            }
            for (int g = 5; g < MAX_PARALLELISM; g++) {
                second.reuseKeyGroup(AGG, g);
            }
            second.complete();
            storage.retain(1);
            assertThat(Files.exists(fileOf0)).as("the 3 live blocks were copied, inline").isFalse();
            assertThat(stateFiles()).isEmpty();
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            for (int g = 0; g < MAX_PARALLELISM; g++) {
                assertThat(checkpoint.readKeyGroup(AGG, g)).isEqualTo(g < 5 ? block(100 + g, 10) : block(g, 100));
            }
        }
    }

    @Test
    void shouldFallBackWhenTheNewestManifestIsTruncatedAndNameIt() throws IOException {
        writeTwoCheckpoints();
        Path manifest = location.resolve("offsets").resolve("1");
        byte[] bytes = Files.readAllBytes(manifest);
        Files.write(manifest, Arrays.copyOf(bytes, bytes.length / 2));
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isZero();
            assertThat(checkpoint.readKeyGroup(AGG, 3)).isEqualTo(block(3, 1000));
            assertThat(checkpoint.skippedNewer()).singleElement().satisfies(skipped -> {
                assertThat(skipped.epochId()).isEqualTo(1);
                assertThat(skipped.reason()).contains(manifest.toAbsolutePath().toString()).contains("truncated");
            });
        }
    }

    @Test
    void shouldDetectABitFlipInAStateBlockWhenLoadingAndFallBack() throws IOException {
        writeTwoCheckpoints();
        Path file = stateFile(1);
        flipBit(file, StateFile.HEADER_LENGTH + 500);
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).as("detected at load, before any read").isZero();
            assertThat(checkpoint.skippedNewer()).singleElement().satisfies(skipped -> assertThat(skipped.reason())
                .contains(file.toAbsolutePath().toString()).contains("key group 3 of operator 'agg'")
                .contains("checksum"));
        }
    }

    @Test
    void shouldFailAReadOfABlockDamagedAfterLoading() throws IOException {
        writeTwoCheckpoints();
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            Path file = stateFile(1);
            flipBit(file, StateFile.HEADER_LENGTH + 10);
            assertThatThrownBy(() -> checkpoint.readKeyGroup(AGG, 3)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining(file.toAbsolutePath().toString()).hasMessageContaining("checksum");
        }
    }

    @Test
    void shouldFailNamingEachReasonWhenNoCheckpointVerifies() throws IOException {
        writeTwoCheckpoints();
        flipBit(location.resolve("offsets").resolve("0"), 30);
        flipBit(location.resolve("offsets").resolve("1"), 30);
        try (CheckpointStorage storage = open()) {
            assertThatThrownBy(storage::latestComplete).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("no checkpoint").hasMessageContaining("epoch 1: checkpoint manifest")
                .hasMessageContaining("epoch 0: checkpoint manifest").hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void shouldIgnoreAndDeleteTemporaryFilesLeftByACrash() throws IOException {
        writeTwoCheckpoints();
        List<Path> leftovers = List.of(location.resolve("offsets").resolve("2.tmp"),
            location.resolve("state").resolve("2-00000000000000ab.state.tmp"),
            location.resolve("commits").resolve("1.tmp"), location.resolve("metadata.tmp"));
        for (Path leftover : leftovers) {
            Files.write(leftover, new byte[] {1, 2, 3});
        }
        try (CheckpointStorage storage = open()) {
            assertThat(leftovers).allSatisfy(leftover -> assertThat(leftover).doesNotExist());
            assertThat(storage.completeEpochs()).containsExactly(0L, 1L);
            assertThat(storage.latestComplete().orElseThrow().epochId()).isEqualTo(1);
            assertThat(storage.lastCommittedEpoch()).isEqualTo(-1);
        }
    }

    enum CrashPoint {
        STATE_FILE_BEFORE_RENAME(WriteStep.TEMP_FORCED, "state"),
        STATE_FILE_AFTER_RENAME(WriteStep.RENAMED, "state"),
        MANIFEST_BEFORE_RENAME(WriteStep.TEMP_FORCED, "offsets");

        final WriteStep step;
        final String directory;

        CrashPoint(WriteStep step, String directory) {
            this.step = step;
            this.directory = directory;
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void shouldKeepThePreviousCheckpointLatestWhenCrashingBeforeTheManifestIsInPlace(CrashPoint crash)
        throws IOException {
        FaultInjector crashOnEpoch1 = (step, file) -> {
            if (step == crash.step && file.getParent().getFileName().toString().equals(crash.directory)
                && file.getFileName().toString().startsWith("1")) {
                throw new SimulatedCrash();
            }
        };
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan", crashOnEpoch1).inlineLimit(0)) {
            checkpointZero(storage);
            CheckpointBuilder builder = storage.begin(1);
            builder.putKeyGroup(AGG, 3, block(33, 1000), 0, 1000);
            assertThatThrownBy(builder::complete).isInstanceOf(SimulatedCrash.class);
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isZero();
            assertThat(checkpoint.skippedNewer()).isEmpty();
            assertThat(checkpoint.readKeyGroup(AGG, 3)).isEqualTo(block(3, 1000));
            storage.retain(10);
            assertThat(stateFiles()).as("what the crashed checkpoint wrote is gone").containsExactly(stateFile(0));

            CheckpointBuilder retry = storage.begin(1);
            retry.putKeyGroup(AGG, 3, block(34, 1000), 0, 1000);
            retry.complete();
        }
        try (CheckpointStorage storage = open()) {
            assertThat(storage.latestComplete().orElseThrow().readKeyGroup(AGG, 3)).isEqualTo(block(34, 1000));
        }
    }

    @Test
    void shouldAbortTheCheckpointAndKeepThePreviousWhenTheDiskRefuses() throws IOException {
        FaultInjector failManifest1 = (step, file) -> {
            if (step == WriteStep.TEMP_FORCED && file.equals(location.toAbsolutePath().resolve("offsets").resolve("1"))) {
                throw new IOException("No space left on device");
            }
        };
        try (CheckpointStorage storage = CheckpointStorage.open(location, MAX_PARALLELISM, "plan", failManifest1).inlineLimit(0)) {
            checkpointZero(storage);
            CheckpointBuilder builder = storage.begin(1);
            builder.putKeyGroup(AGG, 3, block(33, 1000), 0, 1000);
            assertThatThrownBy(builder::complete).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("epoch 1").hasMessageContaining("No space left on device");
            assertThat(storage.latestComplete().orElseThrow().epochId()).isZero();
            assertThat(location.resolve("offsets").resolve("1.tmp")).doesNotExist();
            assertThatThrownBy(() -> builder.putProperty("k", "v")).isInstanceOf(IllegalStateException.class);
            CheckpointBuilder next = storage.begin(2);
            next.putKeyGroup(AGG, 3, block(35, 1000), 0, 1000);
            assertThat(next.complete().epochId()).isEqualTo(2);
        }
    }

    @Test
    void shouldSupersedeADamagedNewerCheckpointWhenTheRestartedRunWritesItsEpoch() throws IOException {
        writeTwoCheckpoints();
        flipBit(stateFile(1), StateFile.HEADER_LENGTH + 1);
        try (CheckpointStorage storage = open()) {
            assertThat(storage.latestComplete().orElseThrow().epochId()).isZero();
            assertThatThrownBy(() -> storage.begin(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after the latest complete checkpoint's epoch 0");
            CheckpointBuilder builder = storage.begin(1);
            assertThat(storage.completeEpochs()).containsExactly(0L);
            builder.putKeyGroup(AGG, 3, block(36, 1000), 0, 1000);
            builder.complete();
            storage.retain(10);
        }
        try (CheckpointStorage storage = open()) {
            Checkpoint checkpoint = storage.latestComplete().orElseThrow();
            assertThat(checkpoint.epochId()).isEqualTo(1);
            assertThat(checkpoint.skippedNewer()).isEmpty();
            assertThat(checkpoint.readKeyGroup(AGG, 3)).isEqualTo(block(36, 1000));
            assertThat(stateFiles()).hasSize(2);
        }
    }

    @Test
    void shouldDeleteWhatAnAbortedCheckpointWrote() throws IOException {
        try (CheckpointStorage storage = open()) {
            CheckpointBuilder builder = storage.begin(0);
            builder.putKeyGroup(AGG, 0, block(0, 100), 0, 100);
            builder.abort();
            assertThat(storage.latestComplete()).isEmpty();
            try (Stream<Path> files = Files.list(location.resolve("state"))) {
                assertThat(files).isEmpty();
            }
            assertThat(storage.begin(0).complete().epochId()).isZero();
        }
    }

    @Test
    void shouldRefuseReusingAKeyGroupWithoutAnEarlierCheckpoint() {
        try (CheckpointStorage storage = open()) {
            CheckpointBuilder builder = storage.begin(0);
            assertThatThrownBy(() -> builder.reuseKeyGroup(AGG, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no complete checkpoint before it");
        }
    }

    @Test
    void shouldReportReuseOfAKeyGroupThePreviousCheckpointDidNotHold() {
        try (CheckpointStorage storage = open()) {
            checkpointZero(storage);
            CheckpointBuilder builder = storage.begin(1);
            assertThat(builder.reuseKeyGroup(AGG, 5)).isFalse();
            assertThat(builder.reuseKeyGroup(JOIN, 3)).isFalse();
            assertThat(builder.reuseKeyGroup(AGG, 3)).isTrue();
            assertThat(builder.complete().keyGroups(AGG)).containsExactly(3);
        }
    }

    @Test
    void shouldRefuseAKeyGroupTwiceOrOutsideTheRange() {
        try (CheckpointStorage storage = open()) {
            CheckpointBuilder builder = storage.begin(0);
            builder.putKeyGroup(AGG, 1, block(1, 10), 0, 10);
            assertThatThrownBy(() -> builder.putKeyGroup(AGG, 1, block(1, 10), 0, 10))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in checkpoint 0");
            assertThatThrownBy(() -> builder.putKeyGroup(AGG, MAX_PARALLELISM, block(1, 10), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyGroup must be in 0..7");
            assertThatThrownBy(() -> storage.begin(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still being built");
        }
    }

    @Test
    void shouldKeepTheCommitLogAcrossRestartsAndRefuseACommitBeforeItsCheckpoint() {
        try (CheckpointStorage storage = open()) {
            assertThatThrownBy(() -> storage.commit(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("epoch 0 has no complete checkpoint");
            checkpointZero(storage);
            storage.commit(0);
            storage.begin(1).complete();
            assertThat(storage.lastCommittedEpoch()).isZero();
        }
        try (CheckpointStorage storage = open()) {
            assertThat(storage.lastCommittedEpoch()).isZero();
            assertThat(storage.latestComplete().orElseThrow().epochId()).as("epoch 1 checkpointed, not committed")
                .isEqualTo(1);
            storage.commit(1);
            assertThat(storage.lastCommittedEpoch()).isEqualTo(1);
        }
    }

    @Test
    void shouldDeleteManifestsAndCommitEntriesOlderThanTheRetainedCheckpoints() {
        try (CheckpointStorage storage = open()) {
            for (long epoch = 0; epoch < 5; epoch++) {
                CheckpointBuilder builder = storage.begin(epoch);
                builder.putKeyGroup(AGG, (int) epoch, block((int) epoch, 10), 0, 10);
                builder.complete();
                storage.commit(epoch);
            }
            storage.retain(3);
            assertThat(storage.completeEpochs()).containsExactly(2L, 3L, 4L);
            assertThat(location.resolve("commits").resolve("1")).doesNotExist();
            assertThat(location.resolve("commits").resolve("2")).exists();
            assertThat(location.resolve("offsets").resolve("1")).doesNotExist();
            assertThat(stateFiles()).hasSize(3);
        }
        try (CheckpointStorage storage = open()) {
            assertThat(storage.lastCommittedEpoch()).isEqualTo(4);
            assertThat(storage.latestComplete().map(Checkpoint::epochId)).isEqualTo(Optional.of(4L));
        }
    }

    /** Opens the location with every block in a state file: most tests here are about state files. */
    private CheckpointStorage open() {
        return CheckpointStorage.open(location, MAX_PARALLELISM, "plan").inlineLimit(0);
    }

    private static void checkpointZero(CheckpointStorage storage) {
        CheckpointBuilder builder = storage.begin(0);
        for (int g = 0; g < 4; g++) {
            builder.putKeyGroup(AGG, g, block(g, 1000), 0, 1000);
        }
        builder.putSourcePosition("rate", 0, new byte[] {0});
        builder.complete();
    }

    /** Checkpoint 0 writes key groups 0..3; checkpoint 1 writes key group 3 anew and reuses 0..2. */
    private void writeTwoCheckpoints() {
        try (CheckpointStorage storage = open()) {
            checkpointZero(storage);
            CheckpointBuilder builder = storage.begin(1);
            builder.putKeyGroup(AGG, 3, block(33, 1000), 0, 1000);
            for (int g = 0; g < 3; g++) {
                builder.reuseKeyGroup(AGG, g);
            }
            builder.putSourcePosition("rate", 0, new byte[] {1});
            builder.complete();
        }
    }

    private Path stateFile(long epoch) {
        List<Path> files = stateFiles().stream()
            .filter(f -> f.getFileName().toString().startsWith(epoch + "-")).toList();
        assertThat(files).as("state files of epoch " + epoch).hasSize(1);
        return files.get(0);
    }

    private List<Path> stateFiles() {
        try (Stream<Path> files = Files.list(location.resolve("state"))) {
            return files.map(Path::toAbsolutePath).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void flipBit(Path file, int offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[offset] ^= 0x10;
        Files.write(file, bytes);
    }

    /** Deterministic content: {@code length} bytes derived from {@code seed}. */
    static byte[] block(int seed, int length) {
        byte[] bytes = new byte[length];
        int x = seed * 0x9E3779B9 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            bytes[i] = (byte) x;
        }
        return bytes;
    }

    /** Stops a write dead, as a crash would: the storage does not clean up after an {@link Error}. */
    private static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash");
        }
    }
}
