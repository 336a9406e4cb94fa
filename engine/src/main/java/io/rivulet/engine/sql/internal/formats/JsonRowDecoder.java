package io.rivulet.engine.sql.internal.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.rivulet.engine.source.file.LineDecoder;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowKind;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StringType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import org.agrona.collections.Object2IntHashMap;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.END_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.NOT_AVAILABLE;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_FALSE;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;
import static com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;

/**
 * Spark's {@code json} source for one line: a JSON object into a row of a schema, with Spark's
 * {@code JacksonParser} rules, decoded by Jackson's streaming parser straight into a {@link PackedRow}
 * (primitives never boxed; no databind).
 * <ul>
 *   <li>Fields are matched by exact name; the schema order is tried first ({@code nextFieldName}, a byte compare),
 *       any other order through a name → position map. Unknown fields are skipped, missing ones null, a repeated
 *       field's last value wins.</li>
 *   <li>Conversions: int/bigint/smallint/tinyint from JSON integers (overflow is malformed); float/double from
 *       any number, or the strings {@code NaN}, {@code Infinity}, {@code +Infinity}, {@code -Infinity},
 *       {@code +INF}, {@code -INF} ({@code allowNonNumericNumbers}); decimal from a number or a string (commas
 *       dropped), rounded half-up to the scale, too many digits malformed; boolean from {@code true}/{@code false};
 *       string from a string, or any other value's JSON text; timestamp from a string ({@link DateTimes}) or an
 *       integer of epoch seconds; date from a string; binary from base64; arrays, maps (string keys) and structs
 *       nested. Anything else (a string where a number is expected, an empty string for a non-string type) is
 *       malformed.</li>
 *   <li>Malformed (Spark 3+): a value that does not convert leaves that field null and the others converted
 *       (Spark's partial result); a syntax error or a truncated line leaves every field null. Either way
 *       {@link #decode} throws a {@link BadRecordException} carrying that row, with the raw line in the
 *       corrupt-record column if the schema has it.</li>
 *   <li>A blank line holds no row; a line that is an array of objects holds one row per element (use
 *       {@link #nextRowOfLine()}); a line that is a scalar or {@code null} is malformed; anything after the
 *       first value on a line is ignored (as Spark).</li>
 * </ul>
 * Every row returned is a fresh {@link PackedRow} (it travels downstream); nothing else is allocated per line
 * but the values the row holds.
 * <p>
 * <b>One parser for many lines.</b> Creating a Jackson parser per line costs about as much as a fifth of decoding
 * the line and allocates ~600 B; so each decoder keeps one non-blocking parser ({@code ByteArrayFeeder}) and feeds it
 * line after line (zero-copy), renewing it every {@value #LINES_PER_PARSER} lines to bound its symbol table. A line
 * the reused parser does not finish cleanly (malformed, truncated, a lone scalar, text after the first value, a
 * non-string value read into a string column) is decoded again from the start by a fresh blocking parser, the
 * reference path, and the reused parser is dropped: malformed input gives exactly the rows and errors the blocking
 * parser gives, and a bad line cannot leave state behind for the next.
 * <p>
 * <b>A byte scanner first.</b> Before any of that, {@link JsonLineScanner} reads the line's bytes directly against the
 * schema (names compared as bytes, numbers read without a {@code String}, strings decoded only for the columns that
 * hold them); it takes the common line (one strict-JSON object of string, integer, double, boolean, timestamp and
 * date values) and declines everything else, which the Jackson path above then decodes: the rows and errors are the
 * same either way ({@code JsonLineScannerTest}). The system property {@value #BYTE_SCANNER_PROPERTY}{@code =false},
 * read when a decoder is created, turns the scanner off (A/B benchmarks).
 * <p>
 * Not thread-safe: one per reader ({@link #newReader()} gives another sharing the compiled schema).
 */
public final class JsonRowDecoder implements LineDecoder<Row> {
    private static final byte K_NULL_TYPE = RowKind.NULL;
    private static final int MISSING = -1;

    /** The system property that turns the byte scanner off ({@code false}); on by default. */
    public static final String BYTE_SCANNER_PROPERTY = "rivulet.json.byteScanner";

    /** Lines one reused parser decodes before it is renewed. */
    static final int LINES_PER_PARSER = 4096;
    /** Thrown inside the reused parser's path for what only the blocking path handles; never escapes. */
    private static final RuntimeException RETRY_BLOCKING = new RetryBlocking();

    private final Compiled compiled;
    /** The fast path, or null when the byte scanner is off. */
    private final JsonLineScanner scanner;
    /** Lines the scanner decoded (the others went to Jackson); for tests. */
    private long linesScanned;
    private List<Row> pending;
    private int pendingNext;
    /** The reused non-blocking parser, or null until the next line needs one. */
    private JsonParser reused;
    private ByteArrayFeeder feeder;
    private int linesOnParser;
    /** Whether the line being decoded is read by the reused non-blocking parser (not the blocking one). */
    private boolean nonBlocking;

    private JsonRowDecoder(Compiled compiled) {
        this.compiled = compiled;
        this.scanner = compiled.scanPlan == null ? null : new JsonLineScanner(compiled.scanPlan, compiled.dateTimes);
    }

    /**
     * Compiles a decoder.
     *
     * @param schema  the rows' schema; may hold the corrupt-record column (a nullable string).
     * @param options Spark's json options by canonical name ({@link RowFormatOptions}); absent ones take Spark's
     *                defaults.
     * @return the decoder.
     * @throws IllegalArgumentException if the corrupt-record column is not a string, or a map key type is not a
     *                                  string.
     */
    public static JsonRowDecoder create(StructType schema, Map<String, String> options) {
        return create(schema, options, !"false".equalsIgnoreCase(System.getProperty(BYTE_SCANNER_PROPERTY)));
    }

    /** {@link #create(StructType, Map)} with the byte scanner on or off whatever the system property says. */
    static JsonRowDecoder create(StructType schema, Map<String, String> options, boolean byteScanner) {
        return new JsonRowDecoder(new Compiled(schema, options, byteScanner));
    }

    /** @return lines the byte scanner decoded so far (the others went to the Jackson path). */
    long linesScanned() {
        return linesScanned;
    }

    /** @return another decoder of the same schema and options, for another reader. */
    public JsonRowDecoder newReader() {
        return new JsonRowDecoder(compiled);
    }

    /** @return the rows' schema. */
    public StructType schema() {
        return compiled.schema;
    }

    /**
     * @param bytes  the buffer.
     * @param offset the line's start.
     * @param length its length in bytes.
     * @return the line's (first) row, or null for a blank line or an empty array.
     * @throws BadRecordException if the line is malformed; it carries the row PERMISSIVE emits.
     */
    @Override
    public Row decode(byte[] bytes, int offset, int length) throws BadRecordException {
        pending = null;
        if (scanner != null) {
            PackedRow scanned = scanner.scan(bytes, offset, length);
            if (scanned != null) {
                linesScanned++;
                return scanned;
            }
        }
        Row row = decodeReused(bytes, offset, length);
        if (row != RETRY) {
            return row;
        }
        pending = null;
        return decodeBlocking(bytes, offset, length);
    }

    /** Leaves a line to the blocking path; preallocated, without a stack trace. */
    private static final class RetryBlocking extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RetryBlocking() {
            super("retry with a blocking parser", null, false, false);
        }
    }

    /** Marks a line the reused parser left to the blocking path. */
    private static final Row RETRY = Row.withoutSchema();

    /**
     * The fast path: the line fed to the reused non-blocking parser.
     *
     * @return the line's (first) row, null for a blank line or an empty array, or {@link #RETRY} when the line must
     *     be decoded by the blocking path (the reused parser is then dropped)
     */
    private Row decodeReused(byte[] bytes, int offset, int length) {
        Compiled c = compiled;
        boolean clean = false;
        nonBlocking = true;
        try {
            if (reused == null || linesOnParser >= LINES_PER_PARSER) {
                dropReused();
                reused = c.factory.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) reused.getNonBlockingInputFeeder();
                linesOnParser = 0;
            }
            linesOnParser++;
            JsonParser p = reused;
            feeder.feedInput(bytes, offset, offset + length);
            JsonToken t = p.nextToken();
            Row row;
            if (t == NOT_AVAILABLE) {
                // Nothing complete on the line: blank, or a scalar or literal the blocking path reports.
                clean = isBlank(bytes, offset, length);
                return clean ? null : RETRY;
            } else if (t == START_OBJECT) {
                PackedRow packed = c.root.template.copy();
                readRoot(p, c.root, packed, bytes, offset, length);
                row = packed;
            } else if (t == START_ARRAY) {
                row = readRootArray(p);
            } else {
                return RETRY;
            }
            // Anything after the first value on the line is ignored (as Spark); the parser must end the line empty.
            clean = p.nextToken() == NOT_AVAILABLE;
            return row;
        } catch (BadRecordException | IOException | RuntimeException e) {
            return RETRY;
        } finally {
            nonBlocking = false;
            if (!clean) {
                dropReused();
            }
        }
    }

    private void dropReused() {
        if (reused != null) {
            try {
                reused.close();
            } catch (IOException ignored) {
                // a parser over arrays holds no resource that can fail to close
            }
            reused = null;
            feeder = null;
        }
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if ((bytes[i] & 0xFF) > ' ') {
                return false;
            }
        }
        return true;
    }

    /** The reference path: a fresh blocking parser over the line, Jackson's and Spark's errors for malformed input. */
    private Row decodeBlocking(byte[] bytes, int offset, int length) throws BadRecordException {
        Compiled c = compiled;
        try (JsonParser p = c.factory.createParser(bytes, offset, length)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            if (t == START_OBJECT) {
                PackedRow row = c.root.template.copy();
                readRoot(p, c.root, row, bytes, offset, length);
                return row;
            }
            if (t == START_ARRAY) {
                return readRootArray(p);
            }
            throw new IllegalArgumentException(t == VALUE_NULL ? "Root converter returned null: the line is JSON null"
                : "the line is a JSON " + t + ", not an object (a row) or an array of objects");
        } catch (BadRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw bad(null, bytes, offset, length, e);
        }
    }

    /**
     * @return the next row of the line last decoded (a top-level array holds several), or null when none is left.
     */
    public Row nextRowOfLine() {
        if (pending == null || pendingNext >= pending.size()) {
            pending = null;
            return null;
        }
        return pending.get(pendingNext++);
    }

    /**
     * The row PERMISSIVE makes of a line rejected before decoding: every field null, the line in the corrupt
     * column.
     *
     * @param line the raw line.
     * @return the row.
     */
    public Row corruptRow(String line) {
        PackedRow row = compiled.root.template.copy();
        if (compiled.corruptIndex >= 0) {
            row.setString(compiled.corruptIndex, line);
        }
        return row;
    }

    private Row readRootArray(JsonParser p) throws IOException {
        Compiled c = compiled;
        List<Row> rows = new ArrayList<>();
        JsonToken t;
        while ((t = next(p)) != END_ARRAY) {
            if (t == START_OBJECT) {
                PackedRow row = c.root.template.copy();
                readObject(p, c.root, row);
                rows.add(row);
            } else if (t == VALUE_NULL) {
                throw new IllegalArgumentException("Root converter returned null: an element of the line's array is null");
            } else if (t == null) {
                throw new IllegalArgumentException("the line ends inside an array");
            } else {
                throw cannotParse(p, t, c.schema);
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        pending = rows;
        pendingNext = 1;
        return rows.get(0);
    }

    /** Spark's root object: a value that fails to convert leaves its field null, and the row is a partial result. */
    private void readRoot(JsonParser p, StructPlan plan, PackedRow row, byte[] bytes, int offset, int length)
        throws IOException, BadRecordException {
        JsonStreamContext rootContext = p.getParsingContext();
        Throwable firstError = null;
        int k = 0;
        while (true) {
            int pos = nextField(p, plan, k);
            if (pos == END) {
                break;
            }
            if (pos < 0) {
                k = -pos - 1;
                continue;
            }
            k = plan.nextExpected[pos];
            JsonToken v = next(p);
            try {
                readField(p, v, plan.values[pos], row, pos);
            } catch (IOException | RuntimeException e) {
                if (firstError == null) {
                    firstError = e;
                }
                row.setNull(pos);
                while (p.getParsingContext() != rootContext) {
                    if (next(p) == null) {
                        throw e;
                    }
                }
            }
        }
        if (firstError != null) {
            throw bad(row, bytes, offset, length, firstError);
        }
    }

    private static final int END = Integer.MIN_VALUE;

    /**
     * Reads the next field name of an object.
     *
     * @return the field's position; {@link #END} at the end of the object; {@code -(k + 1)} for a field the
     *     schema lacks (skipped), k being the next expected field.
     */
    private int nextField(JsonParser p, StructPlan plan, int k) throws IOException {
        JsonToken t;
        if (k < plan.parsedCount && !nonBlocking) {
            if (p.nextFieldName(plan.names[k])) {
                return plan.order[k];
            }
            t = p.currentToken();
        } else {
            // The non-blocking parser's nextFieldName is nextToken and a compare, but it leaves currentToken() at the
            // last name when the line ends after it: read the token it returns, or a truncated line loops forever.
            t = p.nextToken();
            if (t == JsonToken.FIELD_NAME && k < plan.parsedCount && plan.names[k].getValue().equals(p.currentName())) {
                return plan.order[k];
            }
        }
        if (t == END_OBJECT) {
            return END;
        }
        if (t == NOT_AVAILABLE) {
            t = null;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw new IllegalArgumentException(t == null ? "the line ends inside an object" : "unexpected " + t + " in an object");
        }
        int pos = plan.index.getValue(p.currentName());
        if (pos == MISSING) {
            if (next(p) == null) {
                throw new IllegalArgumentException("the line ends before the value of field '" + p.currentName() + "'");
            }
            skipValue(p);
            return -(k + 1);
        }
        return pos;
    }

    private void readObject(JsonParser p, StructPlan plan, PackedRow row) throws IOException {
        int k = 0;
        while (true) {
            int pos = nextField(p, plan, k);
            if (pos == END) {
                return;
            }
            if (pos < 0) {
                k = -pos - 1;
                continue;
            }
            k = plan.nextExpected[pos];
            readField(p, next(p), plan.values[pos], row, pos);
        }
    }

    /** @return the next token; null at the end of the line, for the blocking and the non-blocking parser alike. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        return t == NOT_AVAILABLE ? null : t;
    }

    /** Skips the current value, the whole of it when it is an object or an array. */
    private static void skipValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != START_OBJECT && t != START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            t = next(p);
            if (t == null) {
                throw new IllegalArgumentException("the line ends inside an object or array");
            }
            if (t.isStructStart()) {
                depth++;
            } else if (t.isStructEnd()) {
                depth--;
            }
        }
    }

    private void readField(JsonParser p, JsonToken t, ValuePlan plan, PackedRow row, int pos) throws IOException {
        if (t == null) {
            throw new IllegalArgumentException("the line ends before the value of field '" + p.currentName() + "'");
        }
        if (t == VALUE_NULL) {
            row.setNull(pos);
            return;
        }
        switch (plan.kind) {
            case RowKind.LONG -> {
                if (t != VALUE_NUMBER_INT) {
                    throw cannotParse(p, t, plan.type);
                }
                row.setLong(pos, p.getLongValue());
            }
            case RowKind.INT -> {
                if (t != VALUE_NUMBER_INT) {
                    throw cannotParse(p, t, plan.type);
                }
                row.setInt(pos, p.getIntValue());
            }
            case RowKind.DOUBLE -> row.setDouble(pos, floating(p, t, plan));
            case RowKind.FLOAT -> row.setFloat(pos, t == VALUE_NUMBER_INT || t == VALUE_NUMBER_FLOAT ? p.getFloatValue()
                : (float) floating(p, t, plan));
            case RowKind.BOOLEAN -> {
                if (t == VALUE_TRUE) {
                    row.setBoolean(pos, true);
                } else if (t == VALUE_FALSE) {
                    row.setBoolean(pos, false);
                } else {
                    throw cannotParse(p, t, plan.type);
                }
            }
            case RowKind.TIMESTAMP -> row.setTimestampMicros(pos, timestamp(p, t, plan));
            case RowKind.DATE -> row.setDateDays(pos, date(p, t, plan));
            case RowKind.STRING -> row.setString(pos, t == VALUE_STRING ? p.getText() : jsonText(p));
            case RowKind.SHORT -> {
                if (t != VALUE_NUMBER_INT) {
                    throw cannotParse(p, t, plan.type);
                }
                row.setShort(pos, p.getShortValue());
            }
            case RowKind.BYTE -> {
                if (t != VALUE_NUMBER_INT) {
                    throw cannotParse(p, t, plan.type);
                }
                row.setByte(pos, p.getByteValue());
            }
            default -> {
                Object value = boxed(p, t, plan);
                if (value == null) {
                    row.setNull(pos);
                } else {
                    row.set(pos, value);
                }
            }
        }
    }

    /** A value as the Java type a {@link Row} holds, for array elements, map values and reference fields. */
    private Object boxed(JsonParser p, JsonToken t, ValuePlan plan) throws IOException {
        if (t == VALUE_NULL) {
            return null;
        }
        switch (plan.kind) {
            case RowKind.LONG, RowKind.INT, RowKind.SHORT, RowKind.BYTE -> {
                if (t != VALUE_NUMBER_INT) {
                    throw cannotParse(p, t, plan.type);
                }
                return switch (plan.kind) {
                    case RowKind.LONG -> p.getLongValue();
                    case RowKind.INT -> p.getIntValue();
                    case RowKind.SHORT -> p.getShortValue();
                    default -> p.getByteValue();
                };
            }
            case RowKind.DOUBLE -> {
                return floating(p, t, plan);
            }
            case RowKind.FLOAT -> {
                return t == VALUE_NUMBER_INT || t == VALUE_NUMBER_FLOAT ? p.getFloatValue() : (float) floating(p, t, plan);
            }
            case RowKind.BOOLEAN -> {
                if (t == VALUE_TRUE || t == VALUE_FALSE) {
                    return t == VALUE_TRUE;
                }
                throw cannotParse(p, t, plan.type);
            }
            case RowKind.TIMESTAMP -> {
                return PackedRow.toInstant(timestamp(p, t, plan));
            }
            case RowKind.DATE -> {
                return LocalDate.ofEpochDay(date(p, t, plan));
            }
            case RowKind.STRING -> {
                return t == VALUE_STRING ? p.getText() : jsonText(p);
            }
            case RowKind.DECIMAL -> {
                return decimal(p, t, plan);
            }
            case RowKind.BINARY -> {
                if (t != VALUE_STRING) {
                    throw cannotParse(p, t, plan.type);
                }
                return p.getBinaryValue();
            }
            case RowKind.STRUCT -> {
                if (t != START_OBJECT) {
                    throw cannotParse(p, t, plan.type);
                }
                PackedRow nested = plan.struct.template.copy();
                readObject(p, plan.struct, nested);
                return nested;
            }
            case RowKind.ARRAY -> {
                if (t != START_ARRAY) {
                    throw cannotParse(p, t, plan.type);
                }
                List<Object> list = new ArrayList<>();
                JsonToken e;
                while ((e = next(p)) != END_ARRAY) {
                    if (e == null) {
                        throw new IllegalArgumentException("the line ends inside an array");
                    }
                    list.add(boxed(p, e, plan.element));
                }
                return list;
            }
            case RowKind.MAP -> {
                if (t != START_OBJECT) {
                    throw cannotParse(p, t, plan.type);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken e;
                while ((e = next(p)) != END_OBJECT) {
                    if (e != JsonToken.FIELD_NAME) {
                        throw new IllegalArgumentException("the line ends inside an object");
                    }
                    String key = p.currentName();
                    JsonToken v = next(p);
                    if (v == null) {
                        throw new IllegalArgumentException("the line ends inside an object");
                    }
                    map.put(key, boxed(p, v, plan.element));
                }
                return map;
            }
            case K_NULL_TYPE -> {
                skipValue(p);
                return null;
            }
            default -> throw new IllegalStateException("no JSON conversion for " + plan.type.simpleString());
        }
    }

    private double floating(JsonParser p, JsonToken t, ValuePlan plan) throws IOException {
        if (t == VALUE_NUMBER_INT || t == VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == VALUE_STRING && p.getTextLength() >= 1 && compiled.allowNonNumericNumbers) {
            switch (p.getText()) {
                case "NaN":
                    return Double.NaN;
                case "+INF", "+Infinity", "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-INF", "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw cannotParse(p, t, plan.type);
    }

    private long timestamp(JsonParser p, JsonToken t, ValuePlan plan) throws IOException {
        if (t == VALUE_STRING && p.getTextLength() >= 1) {
            return compiled.dateTimes.timestampMicros(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        if (t == VALUE_NUMBER_INT) {
            return p.getLongValue() * 1_000_000L;
        }
        throw cannotParse(p, t, plan.type);
    }

    private int date(JsonParser p, JsonToken t, ValuePlan plan) throws IOException {
        if (t == VALUE_STRING && p.getTextLength() >= 1) {
            return compiled.dateTimes.dateDays(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        throw cannotParse(p, t, plan.type);
    }

    private static BigDecimal decimal(JsonParser p, JsonToken t, ValuePlan plan) throws IOException {
        BigDecimal value;
        if (t == VALUE_NUMBER_INT || t == VALUE_NUMBER_FLOAT) {
            value = p.getDecimalValue();
        } else if (t == VALUE_STRING && p.getTextLength() >= 1) {
            value = new BigDecimal(p.getText().replace(",", ""));
        } else {
            throw cannotParse(p, t, plan.type);
        }
        return fit(value, (DecimalType) plan.type);
    }

    /**
     * Spark's {@code Decimal(value, precision, scale)}: rounded half-up to the scale, too many digits rejected.
     */
    static BigDecimal fit(BigDecimal value, DecimalType type) {
        BigDecimal scaled = value.scale() == type.scale() ? value : value.setScale(type.scale(), RoundingMode.HALF_UP);
        if (scaled.precision() > type.precision()) {
            throw new ArithmeticException("Decimal " + value.toPlainString() + " does not fit " + type.simpleString()
                + " (more than " + type.precision() + " digits at scale " + type.scale() + ")");
        }
        return scaled;
    }

    /** Spark: a non-string value read into a string field is its JSON text (written back by a generator). */
    private String jsonText(JsonParser p) throws IOException {
        if (nonBlocking) {
            // Copying a value's structure through a generator is the blocking parser's job (rare: an object, array,
            // number or boolean read into a string column).
            throw RETRY_BLOCKING;
        }
        StringWriter out = new StringWriter(32);
        try (JsonGenerator g = compiled.factory.createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    private static IllegalArgumentException cannotParse(JsonParser p, JsonToken t, DataType type) throws IOException {
        if (t == VALUE_STRING && p.getTextLength() < 1) {
            return new IllegalArgumentException("Failed to parse an empty string for data type " + type.sql()
                + " (field '" + p.currentName() + "')");
        }
        String text = t == START_OBJECT || t == START_ARRAY ? t.asString() + "..." : p.getText();
        return new IllegalArgumentException("Cannot parse the field name '" + p.currentName() + "' and the value "
            + text + " of the JSON token type " + t + " to target Spark data type " + type.sql());
    }

    private BadRecordException bad(PackedRow partial, byte[] bytes, int offset, int length, Throwable cause) {
        PackedRow row = partial != null ? partial : compiled.root.template.copy();
        if (compiled.corruptIndex >= 0) {
            row.setString(compiled.corruptIndex, new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
        return new BadRecordException(row, cause);
    }

    // -----------------------------------------------------------------------------------------------------------
    // The compiled schema: immutable, shared by every reader of a source.

    private static final class Compiled {
        final StructType schema;
        final JsonFactory factory;
        final StructPlan root;
        final int corruptIndex;
        final boolean allowNonNumericNumbers;
        final DateTimes dateTimes;
        /** The byte scanner's plan, or null when it is off. */
        final JsonLineScanner.Plan scanPlan;

        Compiled(StructType schema, Map<String, String> options, boolean byteScanner) {
            this.schema = schema;
            String corrupt = RowFormatOptions.corruptColumn(options);
            this.corruptIndex = corruptIndex(schema, corrupt);
            this.allowNonNumericNumbers = RowFormatOptions.flag(options, "allowNonNumericNumbers", true);
            this.dateTimes = RowFormatOptions.dateTimes(options);
            this.factory = new JsonFactoryBuilder()
                .configure(JsonReadFeature.ALLOW_JAVA_COMMENTS, RowFormatOptions.flag(options, "allowComments", false))
                .configure(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, RowFormatOptions.flag(options, "allowUnquotedFieldNames", false))
                .configure(JsonReadFeature.ALLOW_SINGLE_QUOTES, RowFormatOptions.flag(options, "allowSingleQuotes", true))
                .configure(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS, RowFormatOptions.flag(options, "allowNumericLeadingZeros", false))
                .configure(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, allowNonNumericNumbers)
                .configure(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
                    RowFormatOptions.flag(options, "allowBackslashEscapingAnyCharacter", false))
                .configure(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, RowFormatOptions.flag(options, "allowUnquotedControlChars", false))
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
                .build();
            this.root = new StructPlan(schema, corruptIndex);
            this.scanPlan = byteScanner ? new JsonLineScanner.Plan(schema, corruptIndex) : null;
        }
    }

    /**
     * @return the position of the corrupt-record column, or -1.
     * @throws IllegalArgumentException if it is not a string (Spark's rule).
     */
    static int corruptIndex(StructType schema, String name) {
        for (int i = 0; i < schema.size(); i++) {
            StructField f = schema.apply(i);
            if (f.name().equals(name)) {
                if (!(f.dataType() instanceof StringType)) {
                    throw new IllegalArgumentException("The field for corrupt records must be string type and nullable: '"
                        + name + "' is " + f.dataType().simpleString() + " (option columnNameOfCorruptRecord)");
                }
                return i;
            }
        }
        return -1;
    }

    /** How one struct's fields are found and read. */
    private static final class StructPlan {
        final PackedRow template;
        final int parsedCount;
        final SerializedString[] names;
        final int[] order;
        final int[] nextExpected;
        final Object2IntHashMap<String> index;
        final ValuePlan[] values;

        StructPlan(StructType type, int skip) {
            int n = type.size();
            this.template = new PackedRow(type);
            this.values = new ValuePlan[n];
            this.index = new Object2IntHashMap<>(Math.max(8, n * 2), 0.5f, MISSING);
            int parsed = 0;
            for (int i = 0; i < n; i++) {
                if (i != skip) {
                    parsed++;
                }
            }
            this.parsedCount = parsed;
            this.names = new SerializedString[parsed];
            this.order = new int[parsed];
            this.nextExpected = new int[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                StructField f = type.apply(i);
                values[i] = new ValuePlan(f.dataType());
                if (i == skip) {
                    continue;
                }
                names[k] = new SerializedString(f.name());
                order[k] = i;
                nextExpected[i] = k + 1;
                if (!index.containsKey(f.name())) {
                    index.put(f.name(), i);
                }
                k++;
            }
        }
    }

    /** How one value is read. */
    private static final class ValuePlan {
        final byte kind;
        final DataType type;
        final StructPlan struct;
        final ValuePlan element;

        ValuePlan(DataType type) {
            this.type = type;
            this.kind = RowKind.of(type);
            this.struct = type instanceof StructType s ? new StructPlan(s, -1) : null;
            if (type instanceof ArrayType a) {
                this.element = new ValuePlan(a.elementType());
            } else if (type instanceof MapType m) {
                if (!(m.keyType() instanceof StringType)) {
                    throw new IllegalArgumentException("JSON map keys are strings: a map column must be MAP<STRING, ...>, got "
                        + type.simpleString());
                }
                this.element = new ValuePlan(m.valueType());
            } else {
                this.element = null;
            }
        }
    }
}
