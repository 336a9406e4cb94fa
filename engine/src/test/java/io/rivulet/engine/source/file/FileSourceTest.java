package io.rivulet.engine.source.file;

import io.rivulet.operators.state.SnapshotOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.rivulet.engine.source.file.FileSourceHarness.T0;
import static io.rivulet.engine.source.file.FileSourceHarness.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file source's reader, driven by hand with a fake clock and files of chosen modification times:
 * which files it takes and when, in what batches, how it decodes and rejects lines, what its position
 * holds and when it cleans.
 */
class FileSourceTest {
    /** A JSON-lines record. */
    public record Trade(String symbol, long qty) {
    }

    @TempDir
    Path root;

    private Path in() {
        return root.resolve("in");
    }

    private static final long OLD = T0 - 60_000;

    @Test
    void shouldReadEveryLineOfEachFileOnceOldestFirstWithALastLineWithoutTerminator() throws Exception {
        write(in().resolve("b.txt"), "b1\r\nb2\n", OLD + 2);
        write(in().resolve("a.txt"), "a1\n\na3", OLD + 1);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in())).open();
        h.drain(100);
        h.advance(5_000);
        h.drain(100);
        assertThat(h.records).containsExactly("a1", "", "a3", "b1", "b2");
    }

    @Test
    void shouldSkipHiddenAndUnderscoreFilesAndApplyTheGlobFilter() throws Exception {
        write(in().resolve("a.json"), "x\n", OLD);
        write(in().resolve("b.txt"), "y\n", OLD);
        write(in().resolve(".c.json.tmp"), "hidden\n", OLD);
        write(in().resolve("_SUCCESS"), "marker\n", OLD);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).pathGlobFilter("*.json")).open();
        h.drain(100);
        assertThat(h.records).containsExactly("x");
    }

    @Test
    void shouldTakeFilesOfSubdirectoriesOnlyWithRecursiveFileLookup() throws Exception {
        write(in().resolve("top.txt"), "top\n", OLD);
        write(in().resolve("day=1/nested.txt"), "nested\n", OLD + 1);
        FileSourceHarness<String> flat = new FileSourceHarness<>(FileSource.text(in())).open();
        flat.drain(100);
        FileSourceHarness<String> deep = new FileSourceHarness<>(FileSource.text(in()).recursiveFileLookup(true)).open();
        deep.drain(100);
        assertThat(flat.records).containsExactly("top");
        assertThat(deep.records).containsExactly("top", "nested");
    }

    @Test
    void shouldNotTakeAFileStillBeingWrittenUntilItSettled() throws Exception {
        Path growing = write(in().resolve("growing.txt"), "first\nsec", T0 - 100);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in())).open();
        assertThat(h.drain(100)).isZero();
        // The writer goes on; the file keeps changing within the settle time.
        h.advance(1_000);
        write(growing, "first\nsecond\n", h.nowMs - 10);
        assertThat(h.drain(100)).isZero();
        // Left alone for the settle time: taken whole, at the next listing.
        h.advance(1_000);
        assertThat(h.drain(100)).isEqualTo(2);
        assertThat(h.records).containsExactly("first", "second");
    }

    @Test
    void shouldWaitAnotherListingForAFileWhoseSizeChangedThoughItsTimestampLooksOld() throws Exception {
        // A coarse file-system clock: the writer appended, yet the modification time is the old one.
        Path file = write(in().resolve("coarse.txt"), "a\n", T0 - 200);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in())).open();
        assertThat(h.drain(100)).isZero();
        h.advance(1_000);
        write(file, "a\nb\n", T0 - 200);
        assertThat(h.drain(100)).as("size changed since the last listing").isZero();
        h.advance(1_000);
        assertThat(h.drain(100)).isEqualTo(2);
    }

    @Test
    void shouldTakeAFileAtOnceWithoutASettleTime() throws Exception {
        write(in().resolve("moved-in.txt"), "x\n", T0);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).fileSettleTime(Duration.ZERO)).open();
        assertThat(h.drain(100)).isEqualTo(1);
    }

    @Test
    void shouldListNoMoreOftenThanTheListingInterval() throws Exception {
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).listingInterval(Duration.ofSeconds(10))).open();
        h.drain(100);
        write(in().resolve("a.txt"), "x\n", OLD);
        h.advance(9_999);
        h.drain(100);
        assertThat(h.fileReader().listings()).isEqualTo(1);
        assertThat(h.records).isEmpty();
        h.advance(1);
        h.drain(100);
        assertThat(h.fileReader().listings()).isEqualTo(2);
        assertThat(h.records).containsExactly("x");
    }

    @Test
    void shouldEndEachMicroBatchAfterMaxFilesPerTriggerWholeFiles() throws Exception {
        for (int i = 0; i < 5; i++) {
            write(in().resolve("f" + i + ".txt"), "f" + i + "-1\nf" + i + "-2\n", OLD + i);
        }
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).maxFilesPerTrigger(2)).open();
        // A poll limit below a batch's lines: the batch still ends only where its files end.
        assertThat(h.drain(3)).isEqualTo(4);
        assertThat(h.drain(100)).isEqualTo(4);
        assertThat(h.drain(100)).isEqualTo(2);
        assertThat(h.drain(100)).isZero();
        assertThat(h.records).startsWith("f0-1", "f0-2", "f1-1", "f1-2", "f2-1").hasSize(10);
    }

    @Test
    void shouldTakeFilesUpToMaxBytesPerTriggerAndAtLeastOne() throws Exception {
        write(in().resolve("big.txt"), "0123456789\n", OLD);
        write(in().resolve("s1.txt"), "a\n", OLD + 1);
        write(in().resolve("s2.txt"), "b\n", OLD + 2);
        write(in().resolve("s3.txt"), "c\n", OLD + 3);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).option("maxBytesPerTrigger", "4")).open();
        assertThat(h.drain(100)).as("one file larger than the cap").isEqualTo(1);
        assertThat(h.drain(100)).as("two 2-byte files").isEqualTo(2);
        assertThat(h.drain(100)).isEqualTo(1);
    }

    @Test
    void shouldTakeTheNewestFilesFirstWithLatestFirst() throws Exception {
        for (int i = 0; i < 3; i++) {
            write(in().resolve("f" + i + ".txt"), "f" + i + "\n", OLD + i);
        }
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).latestFirst(true).maxFilesPerTrigger(1)).open();
        h.drain(100);
        h.drain(100);
        h.drain(100);
        assertThat(h.records).containsExactly("f2", "f1", "f0");
    }

    @Test
    void shouldForgetAndIgnoreFilesOlderThanMaxFileAgeRelativeToTheNewestFile() throws Exception {
        long day = Duration.ofDays(1).toMillis();
        write(in().resolve("old.txt"), "old\n", OLD - 10 * day);
        write(in().resolve("new.txt"), "new\n", OLD);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).maxFileAge(Duration.ofDays(1))).open();
        h.drain(100);
        // The first batch takes every file, however old (Spark's rule); then the log forgets the old one.
        assertThat(h.records).containsExactly("old", "new");
        assertThat(h.fileReader().seenFiles()).isEqualTo(1);
        write(in().resolve("late-but-old.txt"), "late\n", OLD - 2 * day);
        h.advance(5_000);
        h.drain(100);
        assertThat(h.records).as("older than maxFileAge: ignored").containsExactly("old", "new");
    }

    @Test
    void shouldIgnoreMaxFileAgeWithLatestFirstAndACap() throws Exception {
        long day = Duration.ofDays(1).toMillis();
        write(in().resolve("old.txt"), "old\n", OLD - 10 * day);
        write(in().resolve("new.txt"), "new\n", OLD);
        FileSourceHarness<String> h = new FileSourceHarness<>(
            FileSource.text(in()).maxFileAge(Duration.ofDays(1)).latestFirst(true).maxFilesPerTrigger(1)).open();
        h.drain(100);
        h.drain(100);
        assertThat(h.records).containsExactly("new", "old");
    }

    @Test
    void shouldTellFilesApartByNameOnlyWithFileNameOnly() throws Exception {
        write(in().resolve("a/data.txt"), "first\n", OLD);
        write(in().resolve("b/data.txt"), "second\n", OLD + 1);
        FileSourceHarness<String> h = new FileSourceHarness<>(
            FileSource.text(in()).recursiveFileLookup(true).fileNameOnly(true)).open();
        h.drain(100);
        assertThat(h.records).containsExactly("first");
    }

    @Test
    void shouldFailFastNamingTheFileTheLineNumberAndTheParseError() throws Exception {
        Path file = write(in().resolve("t.json"), "{\"symbol\":\"A\",\"qty\":1}\n{\"symbol\":\"B\",\"qty\":\n", OLD);
        FileSourceHarness<Trade> h = new FileSourceHarness<>(FileSource.jsonLines(in(), Trade.class)).open();
        assertThatThrownBy(() -> h.drain(100))
            .isInstanceOf(MalformedLineException.class)
            .hasMessageContaining("malformed line 2 of " + file)
            .hasMessageContaining("FAILFAST")
            .satisfies(e -> assertThat(((MalformedLineException) e).lineNumber()).isEqualTo(2));
        assertThat(h.records).containsExactly(new Trade("A", 1));
    }

    @Test
    void shouldDropAndCountMalformedAndTruncatedLinesWithDropMalformed() throws Exception {
        write(in().resolve("t.json"), "{\"symbol\":\"A\",\"qty\":1}\nnot json\n\n{\"symbol\":\"B\",\"qty\":2} trailing\n"
            + "{\"symbol\":\"C\",\"qty\":3}\n{\"symbol\":\"D\",\"q", OLD);
        FileSourceHarness<Trade> h = new FileSourceHarness<>(FileSource.jsonLines(in(), Trade.class).mode(ParseMode.DROPMALFORMED)).open();
        h.drain(100);
        assertThat(h.records).containsExactly(new Trade("A", 1), new Trade("C", 3));
        assertThat(h.dropped).as("bad, trailing garbage, truncated last line; the blank line holds no record").isEqualTo(3);
    }

    @Test
    void shouldTurnMalformedLinesIntoCorruptRecordsWithPermissive() throws Exception {
        write(in().resolve("t.json"), "{\"symbol\":\"A\",\"qty\":1}\n{\"symbol\":\"B\",\"qty\":\"x\"}\n{\"symbol\":\"C\"", OLD);
        FileSourceHarness<Trade> h = new FileSourceHarness<>(FileSource.jsonLines(in(), Trade.class)
            .corruptRecord(bad -> new Trade("_corrupt:" + bad.lineNumber() + ":" + bad.line(), -1))).open();
        h.drain(100);
        assertThat(h.records).containsExactly(new Trade("A", 1), new Trade("_corrupt:2:{\"symbol\":\"B\",\"qty\":\"x\"}", -1),
            new Trade("_corrupt:3:{\"symbol\":\"C\"", -1));
        assertThat(h.dropped).isZero();
    }

    @Test
    void shouldParseCsvWithHeaderSeparatorQuoteEscapeNullValueAndComments() throws Exception {
        write(in().resolve("t.csv"), "symbol;qty;note\n# a comment\nA;1;'semi;colon'\nB;NA;'it\\'s'\n\nC;3;NA\n", OLD);
        FileSource<String> source = FileSource.csv(in(), r -> r.get("symbol") + "|" + r.get("qty") + "|" + r.get("note"))
            .header(true).sep(";").quote('\'').escape('\\').nullValue("NA").comment('#');
        FileSourceHarness<String> h = new FileSourceHarness<>(source).open();
        h.drain(100);
        assertThat(h.records).containsExactly("A|1|semi;colon", "B|null|it's", "C|3|null");
    }

    @Test
    void shouldHandleMalformedCsvLinesByMode() throws Exception {
        write(in().resolve("t.csv"), "a,1\nb,\"unterminated\nc,x\nd,4", OLD);
        CsvDecoder<String> decoder = r -> r.get(0) + "=" + Long.parseLong(r.get(1));
        FileSourceHarness<String> dropping = new FileSourceHarness<>(FileSource.csv(in(), decoder).mode(ParseMode.DROPMALFORMED)).open();
        dropping.drain(100);
        assertThat(dropping.records).containsExactly("a=1", "d=4");
        assertThat(dropping.dropped).isEqualTo(2);
        FileSourceHarness<String> failing = new FileSourceHarness<>(FileSource.csv(in(), decoder).mode(ParseMode.FAILFAST)).open();
        assertThatThrownBy(() -> failing.drain(100)).hasMessageContaining("malformed line 2 of");
    }

    @Test
    void shouldResumeAHalfReadFileAtTheLineAfterTheCheckpointAndNeverRetakeASeenFile() throws Exception {
        write(in().resolve("a.csv"), "k,v\na,1\nb,2\nc,3\nd,4\n", OLD);
        write(in().resolve("done.csv"), "k,v\nz,0\n", OLD - 1);
        FileSource<String> source = FileSource.csv(in(), r -> r.get("k") + r.get("v")).header(true);
        FileSourceHarness<String> first = new FileSourceHarness<>(source).open();
        first.reader.poll(first, 3);
        SnapshotOutput position = first.endEpoch();
        first.reader.poll(first, 100);
        first.reader.close();
        assertThat(first.records).containsExactly("z0", "a1", "b2", "c3", "d4");

        // The run dies after reading on; the restart resumes from the checkpoint's position.
        FileSourceHarness<String> restarted = new FileSourceHarness<>(source).restoreFrom(position);
        restarted.drain(100);
        restarted.advance(5_000);
        restarted.drain(100);
        assertThat(first.records.subList(0, 3)).containsExactly("z0", "a1", "b2");
        assertThat(restarted.records).as("the header's names still apply").containsExactly("c3", "d4");
    }

    @Test
    void shouldCleanFilesOnlyAfterTheirEpochCommitted() throws Exception {
        Path a = write(in().resolve("a.txt"), "a\n", OLD);
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).cleanSource(CleanSource.DELETE)).open();
        h.drain(100);
        h.endEpoch();
        Path b = write(in().resolve("b.txt"), "b\n", OLD + 1);
        h.advance(5_000);
        h.drain(100);
        h.endEpoch();
        assertThat(a).as("its epoch has not committed").exists();
        h.commit(0);
        assertThat(a).doesNotExist();
        assertThat(b).exists();
        h.commit(1);
        assertThat(b).doesNotExist();
    }

    @Test
    void shouldArchiveKeepingTheAbsolutePathAndCleanAfterARestartWhatACrashLeft() throws Exception {
        Path archive = root.resolve("archive");
        Path a = write(in().resolve("sub/a.txt"), "a\n", OLD);
        FileSource<String> source = FileSource.text(in()).recursiveFileLookup(true).cleanSource(CleanSource.ARCHIVE)
            .sourceArchiveDir(archive);
        FileSourceHarness<String> h = new FileSourceHarness<>(source).open();
        h.drain(100);
        SnapshotOutput position = h.endEpoch();
        h.reader.close();
        assertThat(a).as("crashed before the commit").exists();

        FileSourceHarness<String> restarted = new FileSourceHarness<>(source).restoreFrom(position);
        Path archived = archive.resolve(a.getRoot().relativize(a).toString());
        assertThat(a).doesNotExist();
        assertThat(archived).hasContent("a");
        restarted.drain(100);
        assertThat(restarted.records).isEmpty();
    }

    @Test
    void shouldRefuseAnArchiveDirectoryUnderTheSourceDirectory() {
        FileSource<String> source = FileSource.text(in()).cleanSource(CleanSource.ARCHIVE).sourceArchiveDir(in().resolve("archive"));
        assertThatThrownBy(() -> new FileSourceHarness<>(source).open())
            .hasMessageContaining("'sourceArchiveDir'").hasMessageContaining("must not be the source directory or under it");
        assertThatThrownBy(() -> new FileSourceHarness<>(FileSource.text(in()).option("cleanSource", "archive")).open())
            .hasMessageContaining("set 'sourceArchiveDir' too");
    }

    @Test
    void shouldRefuseUnknownOptionsListingTheKnownOnesAndOptionsThatDoNotGoTogether() {
        assertThatThrownBy(() -> FileSource.text(in()).option("maxFilePerTrigger", "1"))
            .hasMessageContaining("unknown option 'maxFilePerTrigger'").hasMessageContaining("maxFilesPerTrigger, maxBytesPerTrigger");
        assertThatThrownBy(() -> FileSource.text(in()).option("header", "true")).hasMessageContaining("unknown option 'header'");
        assertThatThrownBy(() -> FileSource.text(in()).option("maxFilesPerTrigger", "0")).hasMessageContaining("must be >= 1");
        assertThatThrownBy(() -> FileSource.text(in()).option("cleanSource", "move")).hasMessageContaining("off, delete, archive");
        assertThatThrownBy(() -> new FileSourceHarness<>(FileSource.text(in()).maxFilesPerTrigger(1).maxBytesPerTrigger(10)).open())
            .hasMessageContaining("can't both be set");
        assertThatThrownBy(() -> new FileSourceHarness<>(FileSource.jsonLines(in(), Trade.class).option("mode", "permissive")).open())
            .hasMessageContaining("needs a corrupt-record function");
        assertThat(FileSource.jsonLines(in(), Trade.class).option("MODE", "dropMalformed").mode()).isEqualTo(ParseMode.DROPMALFORMED);
        assertThat(FileSource.jsonLines(in(), Trade.class).mode()).isEqualTo(ParseMode.FAILFAST);
        assertThat(FileSource.lines(in(), (b, o, l) -> l).option("mode", "DROPMALFORMED").mode()).isEqualTo(ParseMode.DROPMALFORMED);
        assertThatThrownBy(() -> FileSource.text(in()).option("mode", "FAILFAST")).hasMessageContaining("unknown option 'mode'");
    }

    @Test
    void shouldCompactTheSeenLogSoThePositionHoldsOnlyFilesWithinMaxFileAge() throws Exception {
        FileSourceHarness<String> h = new FileSourceHarness<>(FileSource.text(in()).maxFileAge(Duration.ofSeconds(10))).open();
        for (int i = 0; i < 50; i++) {
            write(in().resolve("f" + i + ".txt"), "x\n", OLD + i * 1_000L);
            h.advance(1_000);
            h.drain(100);
        }
        assertThat(h.records).hasSize(50);
        assertThat(h.fileReader().seenFiles()).isBetween(10, 11);
        assertThat(List.of(Files.list(in()).count())).containsExactly(50L);
    }
}
