package io.rivulet.engine.source.file;

import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceOutput;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.operators.state.SnapshotInput;
import io.rivulet.operators.state.SnapshotOutput;
import io.rivulet.operators.state.StateFormatException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a {@link FileSource}: lists the directory, takes batches of settled new files, reads their
 * lines through the format's decoder, and keeps the bookkeeping a restart needs.
 *
 * <pre>
 *   listing ──► backlog (settled, new, ordered) ──► batch (≤ maxFiles / maxBytes) ──► lines ──► decoder ──► emit
 *                                                   │ taken: added to the seen log       │ finished: cleaned once its epoch commits
 * </pre>
 *
 * <p>A micro-batch ends where a batch of files ends: after the poll that read a batch's last line,
 * the next poll returns 0 once. Not thread-safe; owned by the source task.
 */
final class FileSourceReader<T> implements SourceReader<T> {
    private static final System.Logger LOG = System.getLogger(FileSourceReader.class.getName());
    private static final int POSITION_VERSION = 1;

    private final FileSource<T> source;
    private final SourceContext context;
    private final FileSourceOptions options;
    private final FileFormat<T> format;
    private final ParseMode mode;
    private final Function<MalformedRecord, ? extends T> corruptRecord;
    private final Path directory;
    private final PathMatcher nameMatcher;
    private final SeenFiles seen;

    /** New settled files of the last listing not taken yet, in taking order. */
    private final ArrayDeque<Candidate> backlog = new ArrayDeque<>();
    /** Size and modification time of each unsettled new file at the last listing. */
    private Map<Path, Candidate> unsettled = new HashMap<>();
    /** The batch being read; its head is the file open in {@link #lines}. */
    private final ArrayDeque<Taken> batch = new ArrayDeque<>();
    /** Files whose last line was read in the open epoch. */
    private final List<Path> finishedInOpenEpoch = new ArrayList<>();
    /** Files waiting for their epoch to commit before they are cleaned: epoch, path. */
    private final ArrayDeque<Finished> toClean = new ArrayDeque<>();
    private long nextListingMs = Long.MIN_VALUE;
    private LineReader lines;
    private FileFormat.FileDecoder<T> decoder;
    /** The poll after the one that finished a batch returns 0, so a micro-batch ends there. */
    private boolean batchBoundary;
    private long linesDropped;
    private long listings;

    /** A file the listing found. */
    private record Candidate(Path path, String key, long size, long modifiedMs) {
    }

    /** A file of the batch being read, with the offset and number of its next line. */
    private static final class Taken {
        final Path path;
        final long size;
        long offset;
        long lineNumber;

        Taken(Path path, long size, long offset, long lineNumber) {
            this.path = path;
            this.size = size;
            this.offset = offset;
            this.lineNumber = lineNumber;
        }
    }

    private record Finished(long epochId, Path path) {
    }

    FileSourceReader(FileSource<T> source, SourceContext context) throws IOException {
        this.source = source;
        this.context = context;
        this.options = source.options();
        this.format = source.format();
        this.mode = source.mode();
        this.corruptRecord = source.corruptRecordFunction();
        this.directory = source.directory();
        this.nameMatcher = options.nameMatcher();
        this.seen = new SeenFiles(options.effectiveMaxFileAgeMs());
        SnapshotInput position = context.restoredPosition();
        if (position != null) {
            restore(position);
        }
    }

    @Override
    public int poll(SourceOutput<T> out, int limit) throws Exception {
        if (batchBoundary) {
            batchBoundary = false;
            return 0;
        }
        int emitted = 0;
        int scanned = 0;
        while (emitted < limit && scanned < limit) {
            if (lines == null) {
                if (batch.isEmpty() && !takeBatch()) {
                    break;
                }
                openHead();
            }
            if (!lines.next()) {
                finishHead();
                if (batch.isEmpty()) {
                    batchBoundary = emitted > 0;
                    break;
                }
                continue;
            }
            scanned++;
            Taken head = batch.peekFirst();
            head.offset = lines.nextOffset();
            head.lineNumber = lines.lineNumber();
            T record;
            try {
                record = decoder.decode(lines.buffer(), lines.lineStart(), lines.lineLength());
            } catch (Exception e) {
                record = malformedSlowPath(head, e);
            }
            if (record != null) {
                out.emit(record);
                emitted++;
                T more;
                while ((more = decoder.next()) != null) {
                    out.emit(more);
                    emitted++;
                }
            }
        }
        return emitted;
    }

    private T malformedSlowPath(Taken head, Exception error) throws MalformedLineException {
        switch (mode) {
            case FAILFAST:
                throw new MalformedLineException(head.path, head.lineNumber, error);
            case DROPMALFORMED:
                linesDropped++;
                context.recordsDropped(1);
                return null;
            default:
                String line = new String(lines.buffer(), lines.lineStart(), lines.lineLength(), StandardCharsets.UTF_8);
                T record = corruptRecord.apply(new MalformedRecord(head.path, head.lineNumber, line, error));
                if (record == null) {
                    throw new NullPointerException("the corrupt-record function of " + source.description()
                        + " returned null for line " + head.lineNumber + " of " + head.path);
                }
                return record;
        }
    }

    private void openHead() throws Exception {
        Taken head = batch.peekFirst();
        decoder = format.forFile(options);
        try {
            if (decoder.wantsHeader() && head.offset > 0) {
                // Resumed past the header: read it again for the column names.
                try (LineReader first = new LineReader(head.path, 0, 0, head.size, 4096)) {
                    if (first.next()) {
                        decoder.header(first.buffer(), first.lineStart(), first.lineLength());
                    }
                }
            }
            lines = new LineReader(head.path, head.offset, head.lineNumber, head.size, LineReader.INITIAL_BUFFER_BYTES);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(source.description() + " took " + head.path + " into a batch, and it is gone"
                + " before it was read to the end: files must stay until they are read (and cleanSource removes them"
                + " only after their epoch committed)", e);
        }
        if (decoder.wantsHeader() && head.offset == 0) {
            if (lines.next()) {
                head.offset = lines.nextOffset();
                head.lineNumber = lines.lineNumber();
                try {
                    decoder.header(lines.buffer(), lines.lineStart(), lines.lineLength());
                } catch (Exception e) {
                    throw new MalformedLineException(head.path, head.lineNumber, e);
                }
            }
        }
    }

    private void finishHead() throws IOException {
        lines.close();
        lines = null;
        decoder = null;
        finishedInOpenEpoch.add(batch.pollFirst().path);
    }

    /**
     * Takes the next batch from the backlog, listing the directory first when the backlog is empty
     * (or, with {@code latestFirst}, so the newest files come first) and the listing interval passed.
     *
     * @return whether a batch was taken
     */
    private boolean takeBatch() throws IOException {
        long nowMs = context.epochMillis();
        if ((backlog.isEmpty() || options.latestFirst) && nowMs >= nextListingMs) {
            list(nowMs);
            nextListingMs = nowMs + options.listingIntervalMs;
        }
        long bytes = 0;
        while (!backlog.isEmpty()) {
            Candidate next = backlog.peekFirst();
            if (!seen.isNew(next.key(), next.modifiedMs())) {
                backlog.pollFirst();
                continue;
            }
            if (options.maxFilesPerTrigger > 0 && batch.size() >= options.maxFilesPerTrigger) {
                break;
            }
            if (options.maxBytesPerTrigger > 0 && !batch.isEmpty() && bytes + next.size() > options.maxBytesPerTrigger) {
                break;
            }
            backlog.pollFirst();
            bytes += next.size();
            seen.add(next.key(), next.modifiedMs());
            batch.addLast(new Taken(next.path(), next.size(), 0, 0));
        }
        if (batch.isEmpty()) {
            return false;
        }
        seen.purge();
        return true;
    }

    /** Lists the directory into the backlog: settled new files, in taking order. */
    private void list(long nowMs) throws IOException {
        listings++;
        backlog.clear();
        Map<Path, Candidate> stillUnsettled = new HashMap<>();
        List<Candidate> found = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            Files.walkFileTree(directory, EnumSet.noneOf(FileVisitOption.class),
                options.recursiveFileLookup ? Integer.MAX_VALUE : 1, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return dir.equals(directory) || !hidden(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (attrs.isRegularFile() && !hidden(file)
                            && (nameMatcher == null || nameMatcher.matches(file.getFileName()))) {
                            String key = options.fileNameOnly ? file.getFileName().toString() : file.toString();
                            found.add(new Candidate(file, key, attrs.size(), attrs.lastModifiedTime().toMillis()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        // A file deleted or moved between the directory read and its attributes: not there.
                        return FileVisitResult.CONTINUE;
                    }
                });
        }
        for (Candidate file : found) {
            if (!seen.isNew(file.key(), file.modifiedMs())) {
                continue;
            }
            Candidate before = unsettled.get(file.path());
            boolean quiet = file.modifiedMs() <= nowMs - options.fileSettleMs;
            boolean unchanged = before == null || (before.size() == file.size() && before.modifiedMs() == file.modifiedMs());
            if (quiet && (unchanged || options.fileSettleMs == 0)) {
                backlog.add(file);
            } else {
                stillUnsettled.put(file.path(), file);
            }
        }
        unsettled = stillUnsettled;
        Comparator<Candidate> byAge = Comparator.comparingLong(Candidate::modifiedMs);
        Comparator<Candidate> order = (options.latestFirst ? byAge.reversed() : byAge)
            .thenComparing(c -> c.path().toString());
        List<Candidate> sorted = new ArrayList<>(backlog);
        sorted.sort(order);
        backlog.clear();
        backlog.addAll(sorted);
    }

    private static boolean hidden(Path path) {
        String name = path.getFileName().toString();
        return name.startsWith(".") || name.startsWith("_");
    }

    @Override
    public void onEpochEnd(long epochId) {
        seen.closeEpoch(epochId);
        if (options.cleanSource != CleanSource.OFF) {
            for (Path file : finishedInOpenEpoch) {
                toClean.addLast(new Finished(epochId, file));
            }
        }
        finishedInOpenEpoch.clear();
    }

    @Override
    public void onEpochCommitted(long epochId) {
        while (!toClean.isEmpty() && toClean.peekFirst().epochId() <= epochId) {
            clean(toClean.pollFirst().path());
        }
    }

    private void clean(Path file) {
        try {
            if (options.cleanSource == CleanSource.DELETE) {
                Files.deleteIfExists(file);
            } else if (options.cleanSource == CleanSource.ARCHIVE) {
                Path target = archivePath(file);
                if (Files.exists(file)) {
                    Files.createDirectories(target.getParent());
                    Files.move(file, target);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, source.description() + " could not " + options.cleanSource.name().toLowerCase()
                + " " + file + " after its epoch committed; it stays (and is not read again): " + e);
        }
    }

    /** The archive keeps the file's absolute path under the archive directory (Spark's layout). */
    Path archivePath(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path relative = absolute.getRoot() == null ? absolute : absolute.getRoot().relativize(absolute);
        return options.sourceArchiveDir.toAbsolutePath().normalize().resolve(relative.toString());
    }

    /**
     * Layout: version; the seen log; the batch being read (path, size, next line's offset and
     * number, each file); the files waiting to be cleaned.
     */
    @Override
    public void writePosition(SnapshotOutput out) {
        out.writeByte(POSITION_VERSION);
        seen.write(out);
        out.writeVarInt(batch.size());
        for (Taken file : batch) {
            out.writeString(file.path.toString()).writeLong(file.size).writeLong(file.offset).writeLong(file.lineNumber);
        }
        out.writeVarInt(toClean.size() + finishedInOpenEpoch.size());
        for (Finished file : toClean) {
            out.writeString(file.path().toString());
        }
        for (Path file : finishedInOpenEpoch) {
            out.writeString(file.toString());
        }
    }

    private void restore(SnapshotInput in) {
        int version = in.readByte();
        if (version != POSITION_VERSION) {
            throw new StateFormatException("the checkpoint holds a position of " + source.description() + " in layout version "
                + version + "; this version of Rivulet reads version " + POSITION_VERSION);
        }
        seen.read(in);
        int files = in.readVarInt();
        for (int i = 0; i < files; i++) {
            batch.addLast(new Taken(Path.of(in.readString()), in.readLong(), in.readLong(), in.readLong()));
        }
        int finished = in.readVarInt();
        for (int i = 0; i < finished; i++) {
            Path file = Path.of(in.readString());
            // The checkpoint a query restarts from is committed (or is committed by the sink's
            // recovery): the files it had finished can go.
            if (options.cleanSource != CleanSource.OFF) {
                clean(file);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (lines != null) {
            lines.close();
            lines = null;
        }
    }

    /** @return malformed lines dropped so far ({@link ParseMode#DROPMALFORMED}) */
    long linesDropped() {
        return linesDropped;
    }

    /** @return files in the seen log */
    int seenFiles() {
        return seen.size();
    }

    /** @return directory listings so far */
    long listings() {
        return listings;
    }
}
