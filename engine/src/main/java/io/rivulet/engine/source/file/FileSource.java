package io.rivulet.engine.source.file;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.source.Source;
import io.rivulet.engine.source.SourceContext;
import io.rivulet.engine.source.SourceReader;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.formats.BadRecordException;
import io.rivulet.engine.sql.internal.formats.CsvRowDecoder;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Spark's file source: the new files of a directory as a stream of records, one per line, in
 * {@code text}, {@code json} (JSON lines) or {@code csv}. Each file is read exactly once across
 * restarts; see {@code docs/sources.md} for the whole contract.
 *
 * <p><b>Which files.</b> Regular files directly in the directory (in its whole tree with
 * {@code recursiveFileLookup}), whose names match {@code pathGlobFilter} if set; names starting with
 * {@code .} or {@code _} are skipped (Spark's rule for hidden and marker files such as
 * {@code _SUCCESS}), which also makes "write {@code .name.tmp}, then rename" an atomic hand-over. The
 * directory is listed at most once per {@code listingInterval} (default 1 s). A file is taken once
 * it has <em>settled</em>: its last modification is at least {@code fileSettleTime} (default 1 s)
 * before the listing, and its size and modification time did not change since the previous listing
 * that saw it. A file still being written is therefore not read half; a file moved in atomically is
 * taken as soon as it is old enough ({@code fileSettleTime = 0}: at once, Spark's behaviour). A file
 * is read up to the size it had when taken; the last line needs no terminator.
 *
 * <p><b>Order and batches.</b> New files are taken oldest first by modification time (newest first
 * with {@code latestFirst}), then by path. A <em>batch</em> is at most {@code maxFilesPerTrigger}
 * files, or files up to {@code maxBytesPerTrigger} bytes (at least one file, whatever its size); a
 * micro-batch reads whole batches, so each is a set of whole files (Spark's semantics). In continuous
 * mode the next batch follows at once; epochs then cut across files, and a position records the byte
 * offset of the next line.
 *
 * <p><b>Bookkeeping.</b> The files taken (Spark's {@code FileStreamSourceLog}: key, modification
 * time, the epoch that took them), the batch being read with the byte offset and line number of its
 * next line, and the files waiting to be cleaned are the reader's position in every checkpoint. A
 * restart resumes the batch at that offset and never takes a file of the log again. The log forgets
 * files older than the newest one seen minus {@code maxFileAge} (default 7 days) and ignores such
 * files from then on (Spark's compaction); with {@code latestFirst} and a per-trigger cap,
 * {@code maxFileAge} is ignored (as in Spark). {@code fileNameOnly} keys the log by file name
 * instead of path.
 *
 * <p><b>Malformed lines.</b> A decoder rejects a line by throwing; {@link ParseMode} says what
 * follows. Spark's default is {@code PERMISSIVE}, which needs somewhere to put the raw line: a typed
 * source has one only when given a {@link #corruptRecord corrupt-record function}, so the default
 * mode is {@code PERMISSIVE} with one and {@code FAILFAST} without.
 *
 * <p><b>Cleaning.</b> With {@code cleanSource} {@code delete} or {@code archive} (into
 * {@code sourceArchiveDir}, which must not lie under the directory), a file is cleaned once the
 * epoch that read its last line has committed; files of committed epochs a crash left behind are
 * cleaned when the query restarts.
 *
 * <p>One partition. Immutable and thread-safe; every setter returns a validated copy. Rules between
 * options (both caps set, {@code archive} without a directory, {@code PERMISSIVE} without a
 * corrupt-record function) fail the query's start, naming the options.
 *
 * @param <T> record type
 */
public final class FileSource<T> implements Source<T> {
    private final Path directory;
    private final FileFormat<T> format;
    private final FileSourceOptions options;
    private final Function<MalformedRecord, ? extends T> corruptRecord;

    private FileSource(Path directory, FileFormat<T> format, FileSourceOptions options,
                       Function<MalformedRecord, ? extends T> corruptRecord) {
        this.directory = directory;
        this.format = format;
        this.options = options;
        this.corruptRecord = corruptRecord;
    }

    private static <T> FileSource<T> of(Path directory, FileFormat<T> format) {
        Path dir = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        return new FileSource<>(dir, format, new FileSourceOptions(), null);
    }

    /**
     * Spark's {@code text} source: each line of each new file is a string record (blank lines too).
     *
     * @param directory the directory to watch; it may not exist yet
     * @return the source
     */
    public static FileSource<String> text(Path directory) {
        return of(directory, FileFormat.text());
    }

    /**
     * Each line of each new file goes through {@code decoder} (blank lines too); a line it rejects is
     * handled by the {@link ParseMode}.
     *
     * @param directory the directory to watch
     * @param decoder turns a line into a record
     * @param <T> record type
     * @return the source
     */
    public static <T> FileSource<T> lines(Path directory, LineDecoder<T> decoder) {
        return of(directory, FileFormat.lines("text", decoder, false));
    }

    /**
     * Spark's {@code json} source (JSON lines): each non-blank line is one JSON object bound to
     * {@code type} with Jackson; fields the type lacks are ignored, anything after the object on its
     * line makes the line malformed.
     *
     * @param directory the directory to watch
     * @param type the record class (a Java record or a bean Jackson can bind)
     * @param <T> record type
     * @return the source
     */
    public static <T> FileSource<T> jsonLines(Path directory, Class<T> type) {
        return of(directory, FileFormat.lines("json", FileFormat.jackson(type), true));
    }

    /**
     * JSON lines decoded by {@code decoder}: blank lines are skipped, every other line goes to it.
     *
     * @param directory the directory to watch
     * @param decoder turns a line into a record
     * @param <T> record type
     * @return the source
     */
    public static <T> FileSource<T> jsonLines(Path directory, LineDecoder<T> decoder) {
        return of(directory, FileFormat.lines("json", decoder, true));
    }

    /**
     * Spark's {@code json} source with a schema ({@code readStream.schema(s).json(dir)}): each non-blank line is a
     * JSON object decoded into a {@link Row} of {@code schema} with Spark's rules (see {@code docs/sources.md},
     * "Rows of a schema"); a line holding an array of objects gives a row per element. Spark's json options are set
     * with {@link #option(String, String)}: {@code mode} (default {@code PERMISSIVE}),
     * {@code columnNameOfCorruptRecord} (default {@code _corrupt_record}: in PERMISSIVE, a malformed line's raw text
     * goes there if the schema has that string column, with the values that did convert; without the column the
     * row keeps only those values), {@code timestampFormat}, {@code dateFormat}, {@code timeZone} (default UTC),
     * {@code allowComments}, {@code allowUnquotedFieldNames}, {@code allowSingleQuotes},
     * {@code allowNumericLeadingZeros}, {@code allowNonNumericNumbers}, ...; inference options are accepted and
     * have no effect, as in Spark with a schema.
     *
     * @param directory the directory to watch
     * @param schema the rows' schema
     * @return the source; its rows are fresh objects (not reused)
     * @throws IllegalArgumentException if a map's key type is not a string, or the corrupt-record column is not a
     *     string
     */
    public static FileSource<Row> json(Path directory, StructType schema) {
        return rows(directory, FileFormat.jsonRows(schema));
    }

    /**
     * Spark's {@code csv} source with a schema ({@code readStream.schema(s).csv(dir)}): each non-blank,
     * non-comment line decoded into a {@link Row} of {@code schema} with Spark's rules (see
     * {@code docs/sources.md}, "Rows of a schema"). Options with {@link #option(String, String)}: Spark's
     * {@code sep}, {@code quote}, {@code escape}, {@code header} (the first line of each file skipped; columns by
     * position, Spark's {@code enforceSchema=true}), {@code nullValue}, {@code emptyValue}, {@code nanValue},
     * {@code positiveInf}, {@code negativeInf}, {@code timestampFormat}, {@code dateFormat},
     * {@code ignoreLeadingWhiteSpace}, {@code ignoreTrailingWhiteSpace}, {@code comment}, {@code mode} (default
     * {@code PERMISSIVE}), {@code columnNameOfCorruptRecord}, {@code maxColumns}, ...
     *
     * @param directory the directory to watch
     * @param schema the rows' schema: atomic types only
     * @return the source; its rows are fresh objects (not reused)
     * @throws IllegalArgumentException for an array, map, struct or binary column ({@code CSV data source does not
     *     support array<string> data type.}) or a corrupt-record column that is not a string
     */
    public static FileSource<Row> csv(Path directory, StructType schema) {
        return rows(directory, FileFormat.csvRows(schema));
    }

    private static FileSource<Row> rows(Path directory, FileFormat<Row> format) {
        Path dir = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        return new FileSource<>(dir, format, new FileSourceOptions(), FileSource::corruptRow);
    }

    /** PERMISSIVE's row for a line a row decoder rejected: the row its {@link BadRecordException} carries. */
    private static Row corruptRow(MalformedRecord record) {
        if (record.error() instanceof BadRecordException bad) {
            return bad.corruptRow();
        }
        throw new IllegalStateException("line " + record.lineNumber() + " of " + record.file()
            + " was rejected without a row to emit in PERMISSIVE mode", record.error());
    }

    /**
     * Spark's {@code csv} source, one record per line (no {@code multiLine}), parsed with commons-csv
     * and turned into a record by {@code decoder}. Set the csv options ({@link #header}, {@link #sep},
     * {@link #quote}, {@link #escape}, {@link #nullValue}, {@link #comment}) on the result.
     *
     * @param directory the directory to watch
     * @param decoder turns a parsed line into a record
     * @param <T> record type
     * @return the source
     */
    public static <T> FileSource<T> csv(Path directory, CsvDecoder<T> decoder) {
        return of(directory, FileFormat.csv(decoder));
    }

    private FileSource<T> with(Consumer<FileSourceOptions> change) {
        FileSourceOptions changed = options.with(change);
        return new FileSource<>(directory, format.withOptions(changed), changed, corruptRecord);
    }

    private FileSource<T> csvOnly(String option, Consumer<FileSourceOptions> change) {
        if (!format.csv()) {
            throw new IllegalStateException("option '" + option + "' applies to the csv file source, not to " + format.name());
        }
        return with(change);
    }

    /**
     * @param maxFiles the most new files a batch takes, at least 1 (default: no limit)
     * @return a copy with the cap
     */
    public FileSource<T> maxFilesPerTrigger(int maxFiles) {
        Options.positive("maxFilesPerTrigger", maxFiles);
        return with(o -> o.maxFilesPerTrigger = maxFiles);
    }

    /**
     * @param maxBytes the most bytes of new files a batch takes, at least 1 (default: no limit); a
     *     batch takes at least one file however large
     * @return a copy with the cap
     */
    public FileSource<T> maxBytesPerTrigger(long maxBytes) {
        Options.positive("maxBytesPerTrigger", maxBytes);
        return with(o -> o.maxBytesPerTrigger = maxBytes);
    }

    /**
     * @param latestFirst whether a backlog is taken newest file first (default {@code false})
     * @return a copy with the order
     */
    public FileSource<T> latestFirst(boolean latestFirst) {
        return with(o -> o.latestFirst = latestFirst);
    }

    /**
     * @param maxFileAge how much older than the newest file seen a file may be and still be taken;
     *     positive (default 7 days)
     * @return a copy with the age
     */
    public FileSource<T> maxFileAge(Duration maxFileAge) {
        long ms = FileSourceOptions.positiveMs("maxFileAge", maxFileAge);
        return with(o -> o.maxFileAgeMs = ms);
    }

    /**
     * @param fileNameOnly whether files are told apart by name only, not by path (default {@code false})
     * @return a copy with the rule
     */
    public FileSource<T> fileNameOnly(boolean fileNameOnly) {
        return with(o -> o.fileNameOnly = fileNameOnly);
    }

    /**
     * @param cleanSource what happens to a file once read and committed (default {@link CleanSource#OFF})
     * @return a copy with the policy
     */
    public FileSource<T> cleanSource(CleanSource cleanSource) {
        Objects.requireNonNull(cleanSource, "cleanSource");
        return with(o -> o.cleanSource = cleanSource);
    }

    /**
     * @param archiveDir where {@link CleanSource#ARCHIVE} moves files; not the source directory nor
     *     under it
     * @return a copy with the directory
     */
    public FileSource<T> sourceArchiveDir(Path archiveDir) {
        Objects.requireNonNull(archiveDir, "sourceArchiveDir");
        return with(o -> o.sourceArchiveDir = archiveDir);
    }

    /**
     * @param glob a glob file names must match, e.g. {@code *.json} (default: every name)
     * @return a copy with the filter
     * @throws IllegalArgumentException if the glob is invalid
     */
    public FileSource<T> pathGlobFilter(String glob) {
        String checked = FileSourceOptions.glob(Objects.requireNonNull(glob, "pathGlobFilter"));
        return with(o -> o.pathGlobFilter = checked);
    }

    /**
     * @param recursive whether files in subdirectories are taken too (default {@code false})
     * @return a copy with the rule
     */
    public FileSource<T> recursiveFileLookup(boolean recursive) {
        return with(o -> o.recursiveFileLookup = recursive);
    }

    /**
     * @param interval the least time between two listings of the directory, positive (default 1 s)
     * @return a copy with the interval
     */
    public FileSource<T> listingInterval(Duration interval) {
        long ms = FileSourceOptions.positiveMs("listingInterval", interval);
        return with(o -> o.listingIntervalMs = ms);
    }

    /**
     * @param settleTime how long a file must have been left unmodified before it is taken, zero or
     *     more (default 1 s; zero takes files at once, for directories files are only moved into)
     * @return a copy with the time
     */
    public FileSource<T> fileSettleTime(Duration settleTime) {
        long ms = FileSourceOptions.nonNegativeMs("fileSettleTime", Objects.requireNonNull(settleTime, "fileSettleTime"));
        return with(o -> o.fileSettleMs = ms);
    }

    /**
     * @param mode what a malformed line leads to
     * @return a copy with the mode
     * @throws IllegalStateException on the plain {@link #text} source, whose lines are never malformed
     */
    public FileSource<T> mode(ParseMode mode) {
        Objects.requireNonNull(mode, "mode");
        if (!format.rejectsLines()) {
            throw new IllegalStateException("option 'mode' does not apply to the text file source: its lines are never malformed");
        }
        return with(o -> o.mode = mode);
    }

    /**
     * The corrupt-record function of {@link ParseMode#PERMISSIVE}: builds the record for a malformed
     * line (Spark puts the raw line in the {@code columnNameOfCorruptRecord} column and nulls
     * elsewhere). Setting one makes {@code PERMISSIVE} the default mode.
     *
     * @param corruptRecord builds a record from the malformed line; must not return {@code null}
     * @return a copy with the function
     */
    public FileSource<T> corruptRecord(Function<MalformedRecord, ? extends T> corruptRecord) {
        Objects.requireNonNull(corruptRecord, "corruptRecord");
        return new FileSource<>(directory, format, options, corruptRecord);
    }

    /**
     * @param header whether each file's first line names the columns (default {@code false}); csv only
     * @return a copy with the setting
     */
    public FileSource<T> header(boolean header) {
        return csvOnly("header", o -> o.header = header);
    }

    /**
     * @param separator the column separator, one or more characters (default {@code ,}); csv only
     * @return a copy with the separator
     */
    public FileSource<T> sep(String separator) {
        String checked = FileSourceOptions.nonEmpty("sep", Objects.requireNonNull(separator, "sep"));
        return csvOnly("sep", o -> o.sep = checked);
    }

    /**
     * @param quote the quote character (default {@code "}); csv only
     * @return a copy with the quote
     */
    public FileSource<T> quote(char quote) {
        return csvOnly("quote", o -> o.quote = quote);
    }

    /**
     * @param escape the escape character inside quoted values (default {@code \}, as in Spark; the
     *     quote character itself means doubled quotes); csv only
     * @return a copy with the escape
     */
    public FileSource<T> escape(char escape) {
        return csvOnly("escape", o -> o.escape = escape);
    }

    /**
     * @param nullValue the text of a null value (default empty: an empty value is null); csv only
     * @return a copy with the text
     */
    public FileSource<T> nullValue(String nullValue) {
        Objects.requireNonNull(nullValue, "nullValue");
        return csvOnly("nullValue", o -> o.nullValue = nullValue);
    }

    /**
     * @param comment lines starting with this character are skipped (default: none); csv only
     * @return a copy with the marker
     */
    public FileSource<T> comment(char comment) {
        return csvOnly("comment", o -> o.comment = comment);
    }

    /**
     * Sets an option by its Spark name, any case: {@code maxFilesPerTrigger},
     * {@code maxBytesPerTrigger} (bytes, or with a unit: {@code 10m}), {@code latestFirst},
     * {@code maxFileAge} ({@code 7d}), {@code fileNameOnly}, {@code cleanSource}
     * ({@code off|delete|archive}), {@code sourceArchiveDir}, {@code pathGlobFilter},
     * {@code recursiveFileLookup}, Rivulet's {@code listingInterval} and {@code fileSettleTime};
     * {@code mode} except on plain text; for csv also {@code header}, {@code sep} (or
     * {@code delimiter}), {@code quote}, {@code escape}, {@code nullValue}, {@code comment}; for the
     * {@link #json(Path, StructType) json} and {@link #csv(Path, StructType) csv} sources of rows also Spark's row
     * options (see those factories and {@code docs/sources.md}).
     *
     * @param name the option
     * @param value its value as Spark takes it
     * @return a copy with the option set
     * @throws IllegalArgumentException naming the option and the rule, or listing the known options
     */
    public FileSource<T> option(String name, String value) {
        FileSourceOptions copy = options.copy();
        Options table = copy.table(format.name(), format.csv(), format.rejectsLines(), format.rows());
        table.set(name, value);
        FileFormat<T> checked;
        try {
            checked = format.withOptions(copy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option '" + name + "' of file source '" + format.name() + "': "
                + e.getMessage(), e);
        }
        return new FileSource<>(directory, checked, copy, corruptRecord);
    }

    /**
     * @return the names of the options {@link #option(String, String)} accepts for this source's format (the
     *     file source's, plus the format's: csv's parsing options, the row options of a schema's rows), as
     *     documented
     */
    public List<String> optionNames() {
        return options.copy().table(format.name(), format.csv(), format.rejectsLines(), format.rows()).names();
    }

    /**
     * @return the directory, absolute
     */
    public Path directory() {
        return directory;
    }

    /**
     * @return the mode in effect: the one set, else {@code PERMISSIVE} with a corrupt-record function
     *     and {@code FAILFAST} without
     */
    public ParseMode mode() {
        if (options.mode != null) {
            return options.mode;
        }
        return corruptRecord != null ? ParseMode.PERMISSIVE : ParseMode.FAILFAST;
    }

    @Override
    public String description() {
        return "file[" + format.name() + ", " + directory + "]";
    }

    @Override
    public int numPartitions() {
        return 1;
    }

    /**
     * Replayable: the position holds the files taken and the offset within the batch being read.
     */
    @Override
    public boolean isReplayable() {
        return true;
    }

    /**
     * Opens the reader; checks the rules between options first.
     *
     * @throws IllegalArgumentException naming the options that do not go together
     */
    @Override
    public SourceReader<T> open(SourceContext context) throws Exception {
        options.validate(directory, format.name());
        ParseMode mode = mode();
        if (mode == ParseMode.PERMISSIVE && corruptRecord == null) {
            throw new IllegalArgumentException("mode PERMISSIVE of the " + format.name() + " file source needs a"
                + " corrupt-record function (corruptRecord(...)) to turn a malformed line into a record; or choose"
                + " DROPMALFORMED or FAILFAST");
        }
        return new FileSourceReader<>(this, context);
    }

    /**
     * Reads every line of this source's files now, once, with its format, options and mode, as a query would: for a
     * static DataFrame ({@code rivulet.read().csv(path)}, {@code .text(path)}: Spark's {@code spark.read}). The path
     * may be one file or a directory, whose files (not hidden, matching {@code pathGlobFilter}, in subdirectories
     * with {@code recursiveFileLookup}) are read in path order. A csv file's header is taken as a query takes it.
     * A malformed line goes by {@link #mode()}: PERMISSIVE emits the corrupt record, DROPMALFORMED skips it, FAILFAST
     * fails the read naming the file and line. Options that only pace or clean a stream ({@code maxFilesPerTrigger},
     * {@code latestFirst}, {@code cleanSource}, ...) have no effect. Runs on the caller's thread; the source is not
     * changed (it is immutable), so it may be read again (a static table's refresh).
     *
     * @return the records, file by file, line by line
     * @throws IOException if a file cannot be read, or on a malformed line in FAILFAST mode ({@link MalformedLineException})
     * @throws IllegalArgumentException for PERMISSIVE without a corrupt-record function
     */
    public List<T> readAll() throws IOException {
        ParseMode parseMode = mode();
        if (parseMode == ParseMode.PERMISSIVE && corruptRecord == null) {
            throw new IllegalArgumentException("mode PERMISSIVE of the " + format.name() + " file source needs a"
                + " corrupt-record function (corruptRecord(...)); or choose DROPMALFORMED or FAILFAST");
        }
        List<T> records = new ArrayList<>();
        for (Path file : files(directory, options)) {
            FileFormat.FileDecoder<T> decoder = format.forFile(options);
            try (LineReader lines = new LineReader(file, 0, 0, Files.size(file), LineReader.INITIAL_BUFFER_BYTES)) {
                if (decoder.wantsHeader() && lines.next()) {
                    try {
                        decoder.header(lines.buffer(), lines.lineStart(), lines.lineLength());
                    } catch (Exception e) {
                        throw new MalformedLineException(file, lines.lineNumber(), e);
                    }
                }
                while (lines.next()) {
                    T record;
                    try {
                        record = decoder.decode(lines.buffer(), lines.lineStart(), lines.lineLength());
                    } catch (Exception e) {
                        record = malformed(parseMode, file, lines, e);
                    }
                    for (T more = record; more != null; more = decoder.next()) {
                        records.add(more);
                    }
                }
            }
        }
        return records;
    }

    private T malformed(ParseMode parseMode, Path file, LineReader lines, Exception error) throws MalformedLineException {
        switch (parseMode) {
            case FAILFAST:
                throw new MalformedLineException(file, lines.lineNumber(), error);
            case DROPMALFORMED:
                return null;
            default:
                String line = new String(lines.buffer(), lines.lineStart(), lines.lineLength(), StandardCharsets.UTF_8);
                return Objects.requireNonNull(corruptRecord.apply(new MalformedRecord(file, lines.lineNumber(), line, error)),
                    "the corrupt-record function returned null");
        }
    }

    /** The file at {@code path}, or the files of that directory a read takes, in path order. */
    private static List<Path> files(Path path, FileSourceOptions options) throws IOException {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new NoSuchFileException(path.toString(), null, "[PATH_NOT_FOUND] Path does not exist");
            }
            return List.of(path);
        }
        PathMatcher names = options.nameMatcher();
        try (Stream<Path> walk = Files.walk(path, options.recursiveFileLookup ? Integer.MAX_VALUE : 1)) {
            return walk.filter(Files::isRegularFile)
                .filter(f -> !hiddenBelow(path, f))
                .filter(f -> names == null || names.matches(f.getFileName()))
                .sorted().toList();
        }
    }

    /** Whether a file or a directory between {@code root} and it is hidden ({@code .} or {@code _} first). */
    private static boolean hiddenBelow(Path root, Path file) {
        for (Path part : root.relativize(file)) {
            String name = part.toString();
            if (name.startsWith(".") || name.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Spark's csv schema without inference ({@code inferSchema=false}, Spark's default) for a read without a schema:
     * one nullable string column per token of the first line of the first file (in path order) that is not blank
     * nor a comment, named by that line with {@code header=true} (an empty or duplicate name as Spark makes it unique:
     * {@code _c<i>} for empty, the name with its index appended for duplicates, compared ignoring case), else
     * {@code _c0}, {@code _c1}, ... The line is split by the csv options' {@code sep}, {@code quote},
     * {@code escape}, {@code comment}, with the same tokenizer the rows are read with.
     *
     * @param path a csv file or a directory of them
     * @param csvOptions the read's options (Spark's names, any case); validated as {@link #option} validates them
     * @return the schema; empty (no column) when there is no such line
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException for an unknown option or a bad value, naming it
     */
    public static StructType csvStringSchema(Path path, Map<String, String> csvOptions) throws IOException {
        FileSource<Row> probe = csv(path, new StructType().add("_c0", DataTypes.StringType));
        for (Map.Entry<String, String> option : csvOptions.entrySet()) {
            probe = probe.option(option.getKey(), option.getValue());
        }
        FileSourceOptions o = probe.options;
        CsvRowDecoder tokens = CsvRowDecoder.create(new StructType().add("_c0", DataTypes.StringType), o.sep, o.quote,
            o.escape, o.nullValue, o.comment, o.rowOptions);
        for (Path file : files(probe.directory, o)) {
            try (LineReader lines = new LineReader(file, 0, 0, Files.size(file), LineReader.INITIAL_BUFFER_BYTES)) {
                while (lines.next()) {
                    String[] names = tokens.headerNames(lines.buffer(), lines.lineStart(), lines.lineLength());
                    if (names.length > 0) {
                        return stringColumns(names, o.header);
                    }
                }
            }
        }
        return new StructType();
    }

    private static StructType stringColumns(String[] tokens, boolean header) {
        StructType schema = new StructType();
        for (int i = 0; i < tokens.length; i++) {
            String name = header && !tokens[i].isEmpty() ? tokens[i] : "_c" + i;
            if (header && !tokens[i].isEmpty()) {
                int same = 0;
                for (String other : tokens) {
                    same += other.equalsIgnoreCase(tokens[i]) ? 1 : 0;
                }
                if (same > 1) {
                    name = tokens[i] + i;
                }
            }
            schema = schema.add(name, DataTypes.StringType);
        }
        return schema;
    }

    FileFormat<T> format() {
        return format;
    }

    FileSourceOptions options() {
        return options;
    }

    Function<MalformedRecord, ? extends T> corruptRecordFunction() {
        return corruptRecord;
    }
}
