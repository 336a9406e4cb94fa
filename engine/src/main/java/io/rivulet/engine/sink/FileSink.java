package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a query's records as files in a directory, one file per epoch and writer, exactly once:
 * Spark's file sink ({@code writeStream.format("json"|"csv"|"text").option("path", dir)}), with a
 * commit protocol that keeps no ever-growing log.
 *
 * <h2>Layout and commit protocol</h2>
 * <pre>
 *  dir/part-&lt;epoch&gt;-&lt;writer&gt;-&lt;run&gt;.jsonl     committed data (epoch and writer zero-padded)
 *  dir/.part-&lt;epoch&gt;-&lt;writer&gt;-&lt;run&gt;.jsonl.pending   an epoch's output before it commits
 *  dir/_rivulet_sink                         the newest committed epoch (replaced atomically)
 * </pre>
 * A writer writes an epoch's records into a hidden {@code .pending} file, created with the epoch's
 * first record (an epoch without records writes no file), and closes it when the epoch ends; the
 * query's commit thread forces the epoch's files and the directory ({@link #prepareCommit}) before the
 * epoch's checkpoint is written, so the writers' task threads never wait for the disk. When the epoch commits (after its checkpoint is durable), the sink renames the epoch's files to
 * their visible names and then replaces {@code _rivulet_sink}. Commits come in epoch order, so a
 * file is committed exactly when its epoch is at or below the one {@code _rivulet_sink} names:
 * {@link #committedFiles(Path)} lists them, and any reader of {@code part-*} files sees only whole
 * epochs except while a commit renames (microseconds). After a failure, {@link #recover} commits the
 * pending files of epochs the restored checkpoint covers and deletes the rest, which the restarted
 * query writes again. The state is one small file however long the query runs (Spark's
 * {@code _spark_metadata} log grows with every file written).
 *
 * <p>Only append mode (as in Spark); a query writing here needs a checkpoint location. Several
 * queries must not write to one directory at once. With short epochs, a busy query writes many small
 * files: give such a query a longer epoch interval (or a micro-batch trigger).
 *
 * <p>Formats: {@link #json()} (JSON lines: records, maps and beans-free values as JSON objects,
 * see {@link #json()}), {@link #csv()} (RFC 4180 lines, no header), {@link #text()} (each record's
 * {@code toString()}), or {@link #format(String, Function)} for a line format of your own.
 *
 * <p>Immutable configuration; setters return copies. Each run gets its own state in {@link #open};
 * writers are owned by their task threads, commits run on the query's commit thread.
 *
 * @param <T> record type
 */
public final class FileSink<T> implements Sink<T> {
    /** The file naming the newest committed epoch. */
    public static final String COMMITTED_MARKER = "_rivulet_sink";
    private static final String PENDING_SUFFIX = ".pending";
    private static final Pattern PART = Pattern.compile("(\\.?)part-(\\d{20})-(\\d{5})-([0-9a-f]{8})\\.([a-z]+)(\\.pending)?");

    private final Path directory;
    private final String extension;
    private final Function<? super T, String> lineFormat;
    private final ConcurrentHashMap<Long, List<Path>> pending = new ConcurrentHashMap<>();
    private volatile String runId;
    /**
     * This run's first epoch: 0, or the one after the checkpoint {@link #recover} restores. A writer names
     * its first file by it, so that a file left by a run that dies in its first epoch is never taken for
     * an epoch the checkpoint covers.
     */
    private volatile long firstEpoch;

    FileSink(Path directory) {
        this(directory, "jsonl", RowText::json);
    }

    private FileSink(Path directory, String extension, Function<? super T, String> lineFormat) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        this.extension = extension;
        this.lineFormat = lineFormat;
    }

    /**
     * JSON lines ({@code .jsonl}): a record (Java {@code record}) as an object of its components,
     * maps as objects, collections and arrays as arrays, numbers and booleans as such, temporal values
     * as ISO-8601 strings, anything else as its {@code toString()} string. The default.
     *
     * @return a copy writing JSON lines
     */
    public FileSink<T> json() {
        return new FileSink<>(directory, "jsonl", RowText::json);
    }

    /**
     * CSV lines ({@code .csv}, no header): a record's components, or a single value, quoted as RFC 4180
     * says when they hold a comma, quote or line break.
     *
     * @return a copy writing CSV
     */
    public FileSink<T> csv() {
        return new FileSink<>(directory, "csv", RowText::csv);
    }

    /**
     * Text lines ({@code .txt}): each record's {@code toString()}.
     *
     * @return a copy writing text
     */
    public FileSink<T> text() {
        return new FileSink<>(directory, "txt", String::valueOf);
    }

    /**
     * A line format of your own.
     *
     * @param extension file extension, lowercase letters only
     * @param lineFormat turns a record into one line (without its line break)
     * @return a copy writing that format
     */
    public FileSink<T> format(String extension, Function<? super T, String> lineFormat) {
        Objects.requireNonNull(extension, "extension");
        if (!extension.matches("[a-z]{1,10}")) {
            throw new IllegalArgumentException("file extension must be 1-10 lowercase letters, got '" + extension + "'");
        }
        return new FileSink<>(directory, extension, Objects.requireNonNull(lineFormat, "lineFormat"));
    }

    /**
     * @return the directory written to
     */
    public Path directory() {
        return directory;
    }

    @Override
    public String description() {
        return "file[" + directory + ", " + extension + "]";
    }

    @Override
    public Delivery delivery() {
        return Delivery.EXACTLY_ONCE;
    }

    @Override
    public boolean requiresCheckpointLocation() {
        return true;
    }

    @Override
    public void open(String queryName, int numWriters, OutputMode outputMode) throws IOException {
        if (outputMode != OutputMode.APPEND) {
            throw new IllegalArgumentException("the file sink supports only append output mode (files are never"
                + " rewritten), not " + outputMode.name().toLowerCase(Locale.ROOT));
        }
        Files.createDirectories(directory);
        pending.clear();
        runId = UUID.randomUUID().toString().substring(0, 8);
        firstEpoch = 0;
    }

    @Override
    public SinkWriter<T> createWriter(int writerIndex) {
        return new Writer(writerIndex, runId, firstEpoch);
    }

    /**
     * Forces the epoch's pending files to disk, then the directory (their names), before the epoch's
     * checkpoint: recovery commits the pending files of the epochs a checkpoint covers.
     */
    @Override
    public void prepareCommit(long epochId) throws IOException {
        List<Path> files = pending.get(epochId);
        if (files == null) {
            return;
        }
        for (Path file : List.copyOf(files)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        syncDirectory(directory);
    }

    @Override
    public void commit(long epochId) throws IOException {
        List<Path> files = pending.remove(epochId);
        if (files != null) {
            for (Path file : files) {
                Files.move(file, visible(file), StandardCopyOption.ATOMIC_MOVE);
            }
            syncDirectory(directory);
        }
        writeMarker(epochId);
    }

    @Override
    public void recover(long checkpointedEpoch, long lastCommittedEpoch) throws IOException {
        firstEpoch = checkpointedEpoch + 1;
        long marked = committedEpoch(directory);
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher m = PART.matcher(file.getFileName().toString());
                if (m.matches() && m.group(6) != null) {
                    leftovers.add(file);
                }
            }
        }
        leftovers.sort(Comparator.comparing(Path::toString));
        for (Path file : leftovers) {
            Matcher m = PART.matcher(file.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            long epoch = Long.parseLong(m.group(2));
            if (epoch <= checkpointedEpoch) {
                // Ended by every writer and covered by the checkpoint: the failure came before its commit.
                Files.move(file, visible(file), StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.delete(file);
            }
        }
        syncDirectory(directory);
        if (checkpointedEpoch > marked) {
            writeMarker(checkpointedEpoch);
        }
    }

    /**
     * The committed files of a directory a file sink wrote, in epoch and writer order: what a reader
     * should read. Files of epochs after the committed one (a commit under way, or a failed run's
     * output awaiting recovery) are left out.
     *
     * @param directory the sink's directory
     * @return the committed files
     * @throws UncheckedIOException if the directory cannot be listed
     */
    public static List<Path> committedFiles(Path directory) {
        try {
            long committed = committedEpoch(directory);
            List<Path> result = new ArrayList<>();
            if (committed < 0) {
                return result;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "part-*")) {
                for (Path file : files) {
                    Matcher m = PART.matcher(file.getFileName().toString());
                    if (m.matches() && m.group(6) == null && Long.parseLong(m.group(2)) <= committed) {
                        result.add(file);
                    }
                }
            }
            result.sort(Comparator.comparing(p -> p.getFileName().toString()));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list file sink directory " + directory, e);
        }
    }

    /**
     * Every committed line of a directory a file sink wrote, in epoch and writer order.
     *
     * @param directory the sink's directory
     * @return the lines
     * @throws UncheckedIOException if a file cannot be read
     */
    public static List<String> committedLines(Path directory) {
        List<String> lines = new ArrayList<>();
        for (Path file : committedFiles(directory)) {
            try {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return lines;
    }

    /**
     * @param directory a file sink's directory
     * @return the newest committed epoch, or -1 if none
     * @throws IOException if the marker cannot be read or is damaged
     */
    static long committedEpoch(Path directory) throws IOException {
        String text;
        try {
            text = Files.readString(directory.resolve(COMMITTED_MARKER), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return -1;
        }
        String prefix = "committedEpoch=";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                try {
                    return Long.parseLong(line.substring(prefix.length()).trim());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IOException("file sink marker " + directory.resolve(COMMITTED_MARKER) + " is damaged: '" + text + "'");
    }

    private void writeMarker(long epochId) throws IOException {
        Path marker = directory.resolve(COMMITTED_MARKER);
        Path temp = directory.resolve("." + COMMITTED_MARKER + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(("version=1\ncommittedEpoch=" + epochId + "\n")
                .getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(directory);
    }

    private static Path visible(Path pendingFile) {
        String name = pendingFile.getFileName().toString();
        return pendingFile.resolveSibling(name.substring(1, name.length() - PENDING_SUFFIX.length()));
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for sync; the renames are still atomic.
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    /** One writer's files. Not thread-safe; owned by its task. */
    private final class Writer implements SinkWriter<T> {
        private final int index;
        private final String run;
        private BufferedWriter out;
        private Path file;
        private long epochOfFile = -1;
        private long nextEpoch;

        Writer(int index, String run, long firstEpoch) {
            this.index = index;
            this.run = run;
            this.nextEpoch = firstEpoch;
        }

        @Override
        public void write(T record) throws IOException {
            if (out == null) {
                openFile();
            }
            out.write(lineFormat.apply(record));
            out.write('\n');
        }

        private void openFile() throws IOException {
            // Records arrive for the epoch after the last one this writer ended.
            epochOfFile = nextEpoch;
            file = directory.resolve(String.format(Locale.ROOT, ".part-%020d-%05d-%s.%s%s", epochOfFile, index, run,
                extension, PENDING_SUFFIX));
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8),
                1 << 16);
        }

        @Override
        public void endEpoch(long epochId) throws IOException {
            nextEpoch = epochId + 1;
            if (out == null) {
                return;
            }
            // Written to the operating system, not forced: prepareCommit forces it on the commit thread.
            out.close();
            if (epochOfFile != epochId) {
                // The file was named before the epoch's id was known: rename it to the epoch it belongs to.
                Path renamed = directory.resolve(String.format(Locale.ROOT, ".part-%020d-%05d-%s.%s%s", epochId, index,
                    run, extension, PENDING_SUFFIX));
                Files.move(file, renamed, StandardCopyOption.ATOMIC_MOVE);
                file = renamed;
            }
            pending.computeIfAbsent(epochId, e -> Collections.synchronizedList(new ArrayList<>())).add(file);
            out = null;
            file = null;
        }

        @Override
        public void close() throws IOException {
            if (out != null) {
                // Never ended: the run failed or stopped mid-epoch; recovery deletes the file.
                out.close();
                out = null;
            }
        }
    }
}
