package io.rivulet.engine.source.file;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.formats.CsvRowDecoder;
import io.rivulet.engine.sql.internal.formats.JsonRowDecoder;
import io.rivulet.engine.types.StructType;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a file source turns lines into records: {@code text}, {@code json} (JSON lines) or {@code csv}.
 * A format makes one {@link FileDecoder} per file read (a csv file has its own header). Immutable.
 *
 * @param <T> record type
 */
abstract class FileFormat<T> {
    private final String name;

    FileFormat(String name) {
        this.name = name;
    }

    /** @return {@code text}, {@code json} or {@code csv}, as Spark names the format */
    final String name() {
        return name;
    }

    /** @return whether the csv options apply */
    boolean csv() {
        return false;
    }

    /** @return whether a decoder may reject lines, so a {@link ParseMode} applies */
    boolean rejectsLines() {
        return true;
    }

    /** @return whether the format decodes rows of a schema, so the row options apply */
    boolean rows() {
        return false;
    }

    /**
     * @param options the source's options, just changed
     * @return the format for them: a row format compiles its decoder again, so a bad combination fails at once
     */
    FileFormat<T> withOptions(FileSourceOptions options) {
        return this;
    }

    /**
     * @param options the source's options
     * @return the decoder of one file
     */
    abstract FileDecoder<T> forFile(FileSourceOptions options);

    /**
     * Decodes the lines of one file. Not thread-safe; owned by the source task.
     *
     * @param <T> record type
     */
    interface FileDecoder<T> {
        /**
         * @return whether the file's first line is a header, given to {@link #header} rather than
         *     decoded
         */
        default boolean wantsHeader() {
            return false;
        }

        /** Takes the file's first line as its header. */
        default void header(byte[] bytes, int offset, int length) throws Exception {
        }

        /** @return the record, or {@code null} when the line holds none */
        T decode(byte[] bytes, int offset, int length) throws Exception;

        /**
         * @return another record of the line just decoded (a JSON line holding an array of objects holds one
         *     per element), or {@code null} when it holds no more
         */
        default T next() {
            return null;
        }
    }

    /** Spark's {@code json} source with a schema: each line decoded into a row by {@link JsonRowDecoder}. */
    static FileFormat<Row> jsonRows(StructType schema) {
        Objects.requireNonNull(schema, "schema");
        return new JsonRows(schema, JsonRowDecoder.create(schema, Map.of()));
    }

    /** Spark's {@code csv} source with a schema: each line decoded into a row by {@link CsvRowDecoder}. */
    static FileFormat<Row> csvRows(StructType schema) {
        Objects.requireNonNull(schema, "schema");
        return new CsvRows(schema, null).withOptions(new FileSourceOptions());
    }

    /** Every line is a string record, blank ones too (Spark's {@code text}). */
    static FileFormat<String> text() {
        return new Lines<>("text", (bytes, offset, length) -> new String(bytes, offset, length, StandardCharsets.UTF_8), false, false);
    }

    /** Every line goes to a user decoder. */
    static <T> FileFormat<T> lines(String name, LineDecoder<T> decoder, boolean skipBlank) {
        return new Lines<>(name, Objects.requireNonNull(decoder, "decoder"), skipBlank, true);
    }

    /**
     * JSON lines bound to a class with Jackson: unknown fields are ignored (Spark ignores fields the
     * schema lacks); anything after the object on its line is an error.
     */
    static <T> LineDecoder<T> jackson(Class<T> type) {
        ObjectReader reader = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(Objects.requireNonNull(type, "type"));
        return reader::readValue;
    }

    static <T> FileFormat<T> csv(CsvDecoder<T> decoder) {
        return new Csv<>(Objects.requireNonNull(decoder, "decoder"));
    }

    /** @return whether the bytes are all ASCII whitespace */
    static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f') {
                return false;
            }
        }
        return true;
    }

    private static final class Lines<T> extends FileFormat<T> implements FileDecoder<T> {
        private final LineDecoder<T> decoder;
        private final boolean skipBlank;
        private final boolean rejects;

        Lines(String name, LineDecoder<T> decoder, boolean skipBlank, boolean rejects) {
            super(name);
            this.decoder = decoder;
            this.skipBlank = skipBlank;
            this.rejects = rejects;
        }

        @Override
        boolean rejectsLines() {
            return rejects;
        }

        @Override
        FileDecoder<T> forFile(FileSourceOptions options) {
            return this;
        }

        @Override
        public T decode(byte[] bytes, int offset, int length) throws Exception {
            if (skipBlank && isBlank(bytes, offset, length)) {
                return null;
            }
            return decoder.decode(bytes, offset, length);
        }
    }

    /**
     * One CSV record per line (Spark's {@code csv} without {@code multiLine}), parsed by commons-csv
     * with the source's {@code sep}, {@code quote}, {@code escape}, {@code nullValue} and
     * {@code comment}; empty lines and comment lines hold no record.
     */
    private static final class Csv<T> extends FileFormat<T> {
        private final CsvDecoder<T> decoder;

        Csv(CsvDecoder<T> decoder) {
            super("csv");
            this.decoder = decoder;
        }

        @Override
        boolean csv() {
            return true;
        }

        @Override
        FileDecoder<T> forFile(FileSourceOptions options) {
            return new CsvFile<>(base(options), options.header, decoder);
        }

        static CSVFormat base(FileSourceOptions options) {
            return CSVFormat.DEFAULT.builder()
                .setDelimiter(options.sep)
                .setQuote(options.quote)
                // Spark's escape equal to its quote means RFC 4180 doubled quotes: commons-csv's default.
                .setEscape(options.escape == options.quote ? null : options.escape)
                .setNullString(options.nullValue)
                .setCommentMarker(options.comment)
                .setIgnoreEmptyLines(true)
                .setAllowMissingColumnNames(true)
                .get();
        }
    }

    private static final class CsvFile<T> implements FileDecoder<T> {
        private final boolean wantsHeader;
        private final CsvDecoder<T> decoder;
        private CSVFormat format;

        CsvFile(CSVFormat format, boolean wantsHeader, CsvDecoder<T> decoder) {
            this.format = format;
            this.wantsHeader = wantsHeader;
            this.decoder = decoder;
        }

        @Override
        public boolean wantsHeader() {
            return wantsHeader;
        }

        @Override
        public void header(byte[] bytes, int offset, int length) throws Exception {
            CSVRecord names = parse(bytes, offset, length);
            if (names != null) {
                format = format.builder().setHeader(names.values()).setSkipHeaderRecord(false).get();
            }
        }

        @Override
        public T decode(byte[] bytes, int offset, int length) throws Exception {
            CSVRecord record = parse(bytes, offset, length);
            return record == null ? null : decoder.decode(record);
        }

        private CSVRecord parse(byte[] bytes, int offset, int length) throws Exception {
            String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
            try (CSVParser parser = CSVParser.parse(line, format)) {
                Iterator<CSVRecord> records = parser.iterator();
                if (!records.hasNext()) {
                    return null;
                }
                CSVRecord record = records.next();
                if (records.hasNext()) {
                    throw new IllegalArgumentException("a lone carriage return splits the line into several records");
                }
                return record;
            }
        }
    }

    private static final class JsonRows extends FileFormat<Row> {
        private final StructType schema;
        private final JsonRowDecoder compiled;

        JsonRows(StructType schema, JsonRowDecoder compiled) {
            super("json");
            this.schema = schema;
            this.compiled = compiled;
        }

        @Override
        boolean rows() {
            return true;
        }

        @Override
        FileFormat<Row> withOptions(FileSourceOptions options) {
            return new JsonRows(schema, JsonRowDecoder.create(schema, options.rowOptions));
        }

        @Override
        FileDecoder<Row> forFile(FileSourceOptions options) {
            JsonRowDecoder decoder = compiled.newReader();
            return new FileDecoder<>() {
                @Override
                public Row decode(byte[] bytes, int offset, int length) throws Exception {
                    return decoder.decode(bytes, offset, length);
                }

                @Override
                public Row next() {
                    return decoder.nextRowOfLine();
                }
            };
        }
    }

    /**
     * Spark's {@code csv} with a schema. With {@code header}, each file's first line is skipped and columns map by
     * position (Spark's default {@code enforceSchema=true}); with {@code enforceSchema=false} the header's names
     * must be the schema's, in order, any case (Spark's {@code CSVHeaderChecker}), else the file fails.
     */
    private static final class CsvRows extends FileFormat<Row> {
        private final StructType schema;
        private final CsvRowDecoder compiled;

        CsvRows(StructType schema, CsvRowDecoder compiled) {
            super("csv");
            this.schema = schema;
            this.compiled = compiled;
        }

        @Override
        boolean csv() {
            return true;
        }

        @Override
        boolean rows() {
            return true;
        }

        @Override
        FileFormat<Row> withOptions(FileSourceOptions o) {
            return new CsvRows(schema, CsvRowDecoder.create(schema, o.sep, o.quote, o.escape, o.nullValue, o.comment,
                o.rowOptions));
        }

        @Override
        FileDecoder<Row> forFile(FileSourceOptions options) {
            CsvRowDecoder decoder = compiled.newReader();
            boolean header = options.header;
            return new FileDecoder<>() {
                @Override
                public boolean wantsHeader() {
                    return header;
                }

                @Override
                public void header(byte[] bytes, int offset, int length) {
                    if (decoder.checksHeader()) {
                        checkHeader(decoder.headerNames(bytes, offset, length), decoder.tokenNames());
                    }
                }

                @Override
                public Row decode(byte[] bytes, int offset, int length) throws Exception {
                    return decoder.decode(bytes, offset, length);
                }
            };
        }

        private static void checkHeader(String[] header, String[] names) {
            if (header.length != names.length) {
                throw new IllegalArgumentException("Number of column in CSV header is not equal to number of fields in the"
                    + " schema:\n Header length: " + header.length + ", schema size: " + names.length
                    + "\n Header: " + String.join(", ", header) + "\n Schema: " + String.join(", ", names)
                    + " (option enforceSchema=false)");
            }
            for (int i = 0; i < names.length; i++) {
                if (!header[i].toLowerCase(Locale.ROOT).equals(names[i].toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("CSV header does not conform to the schema.\n Header: "
                        + String.join(", ", header) + "\n Schema: " + String.join(", ", names) + "\nExpected: "
                        + names[i] + " but found: " + header[i] + " (option enforceSchema=false; " + Arrays.toString(header) + ")");
                }
            }
        }
    }
}
