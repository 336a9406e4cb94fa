package io.rivulet.engine.sql.internal.formats;

import io.rivulet.engine.source.file.LineDecoder;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.sql.internal.RowKind;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.BinaryType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Spark's {@code csv} source for one line: the line's tokens into a row of a schema, with Spark's
 * {@code UnivocityParser} rules and its univocity settings, tokenized here (no per-line parser object).
 * <ul>
 *   <li>Tokens: split at {@code sep} (one or more characters); a token starting with {@code quote} runs to the
 *       closing quote, {@code escape}+{@code quote} inside being a quote ({@code escape} equal to {@code quote}:
 *       doubled quotes), {@code charToEscapeQuoteEscaping}+{@code escape} an escape; text after a closing quote
 *       is kept up to the next separator (univocity's {@code STOP_AT_DELIMITER}); an unclosed quote runs to the end
 *       of the line. Leading and trailing whitespace is kept unless {@code ignoreLeadingWhiteSpace} /
 *       {@code ignoreTrailingWhiteSpace}.</li>
 *   <li>Values: an empty unquoted token reads as {@code nullValue}, an empty quoted one as {@code emptyValue};
 *       then a token equal to {@code nullValue} is null (so by default both are null). Numbers as Java parses
 *       them ({@code Integer.parseInt}, {@code Double.parseDouble}; {@code nanValue}, {@code positiveInf},
 *       {@code negativeInf} first), booleans {@code true}/{@code false} in any case, decimals with commas dropped
 *       and rounded half-up to the scale, timestamps and dates by {@link DateTimes}.</li>
 *   <li>Malformed (Spark 3+): a token that does not convert, or a line with fewer or more tokens than the schema
 *       (the corrupt-record column not counted), throws a {@link BadRecordException} carrying the partial row
 *       (converted values kept, missing tokens null, extra ones dropped) with the raw line in the corrupt-record
 *       column if the schema has it. So PERMISSIVE without that column gives Spark's documented "fewer tokens:
 *       nulls, more tokens: dropped", and DROPMALFORMED drops such lines.</li>
 *   <li>A blank line or one starting with {@code comment} holds no row.</li>
 * </ul>
 * Not thread-safe (reused token buffers): one per reader ({@link #newReader()}).
 */
public final class CsvRowDecoder implements LineDecoder<Row> {
    private final Settings s;
    private char[] chars = new char[256];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private byte[] states = new byte[16];

    private static final byte UNQUOTED = 0;
    private static final byte QUOTED = 1;

    private CsvRowDecoder(Settings settings) {
        this.s = settings;
    }

    /**
     * Compiles a decoder.
     *
     * @param schema     the rows' schema: atomic types only; may hold the corrupt-record column.
     * @param sep        separator, one or more characters.
     * @param quote      quote character.
     * @param escape     escape character inside quotes.
     * @param nullValue  the text of null.
     * @param comment    comment marker, or null for none.
     * @param options    the other row options by canonical name ({@link RowFormatOptions}).
     * @return the decoder.
     * @throws IllegalArgumentException for an array, map, struct or binary column (Spark's message), or a
     *                                  corrupt-record column that is not a string.
     */
    public static CsvRowDecoder create(StructType schema, String sep, char quote, char escape, String nullValue,
                                       Character comment, Map<String, String> options) {
        return new CsvRowDecoder(new Settings(schema, sep, quote, escape, nullValue, comment, options));
    }

    /** @return another decoder of the same schema and options, for another reader. */
    public CsvRowDecoder newReader() {
        return new CsvRowDecoder(s);
    }

    /**
     * @return the names of the columns the tokens map to, in order (the schema without the corrupt-record
     *     column), for a header check.
     */
    public String[] tokenNames() {
        String[] names = new String[s.positions.length];
        for (int k = 0; k < names.length; k++) {
            names[k] = s.schema.apply(s.positions[k]).name();
        }
        return names;
    }

    /** @return whether a header line is checked against the schema (Spark's {@code enforceSchema=false}). */
    public boolean checksHeader() {
        return !s.enforceSchema;
    }

    /**
     * @param bytes  the buffer.
     * @param offset the line's start.
     * @param length its length in bytes.
     * @return the row, or null for a blank or comment line.
     * @throws BadRecordException if the line is malformed; it carries the row PERMISSIVE emits.
     */
    @Override
    public Row decode(byte[] bytes, int offset, int length) throws BadRecordException {
        int n = chars(bytes, offset, length);
        if (skipped(n)) {
            return null;
        }
        int count = tokenize(n);
        Settings st = s;
        PackedRow row = st.template.copy();
        Throwable error = null;
        int fields = st.positions.length;
        if (count > st.maxColumns) {
            throw bad(row, bytes, offset, length, new IllegalArgumentException("the line has " + count
                + " columns, more than maxColumns (" + st.maxColumns + ")"));
        }
        if (count != fields) {
            error = new IllegalArgumentException("Malformed CSV record: " + count + " tokens for " + fields
                + " columns (" + String.join(", ", tokenNames()) + ")");
        }
        int present = Math.min(count, fields);
        for (int k = 0; k < present; k++) {
            try {
                convert(k, row);
            } catch (RuntimeException e) {
                if (error == null) {
                    error = e;
                }
                row.setNull(st.positions[k]);
            }
        }
        if (error != null) {
            throw bad(row, bytes, offset, length, error);
        }
        return row;
    }

    /**
     * Splits a header line into its names (for Spark's {@code enforceSchema=false} check).
     *
     * @param bytes  the buffer.
     * @param offset the line's start.
     * @param length its length.
     * @return the names; empty for a blank line.
     */
    public String[] headerNames(byte[] bytes, int offset, int length) {
        int n = chars(bytes, offset, length);
        if (skipped(n)) {
            return new String[0];
        }
        int count = tokenize(n);
        String[] names = new String[count];
        for (int k = 0; k < count; k++) {
            names[k] = new String(chars, starts[k], ends[k] - starts[k]);
        }
        return names;
    }

    private boolean skipped(int n) {
        boolean blank = true;
        for (int i = 0; i < n; i++) {
            if (chars[i] > ' ') {
                blank = false;
                break;
            }
        }
        return blank || (s.comment >= 0 && n > 0 && chars[0] == s.comment);
    }

    /** The line as chars in {@link #chars}: ASCII widened in place, anything else decoded as UTF-8. */
    private int chars(byte[] bytes, int offset, int length) {
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        char[] c = chars;
        for (int i = 0; i < length; i++) {
            byte b = bytes[offset + i];
            if (b < 0) {
                String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
                text.getChars(0, text.length(), c, 0);
                return text.length();
            }
            c[i] = (char) b;
        }
        return length;
    }

    /** Splits {@link #chars} into tokens; unescapes quoted ones in place. @return the token count. */
    private int tokenize(int n) {
        Settings st = s;
        char[] c = chars;
        char sep0 = st.sep.charAt(0);
        boolean oneCharSep = st.sep.length() == 1;
        int count = 0;
        int i = 0;
        while (true) {
            if (count == starts.length) {
                grow();
            }
            if (st.ignoreLeading) {
                while (i < n && c[i] <= ' ' && !isSep(c, i, n, sep0, oneCharSep)) {
                    i++;
                }
            }
            byte state = UNQUOTED;
            int start = i;
            int end;
            if (i < n && c[i] == st.quote) {
                state = QUOTED;
                int w = i + 1;
                start = w;
                int r = i + 1;
                boolean closed = false;
                while (r < n) {
                    char ch = c[r];
                    if (ch == st.escape && st.escape != st.quote && r + 1 < n && c[r + 1] == st.quote) {
                        c[w++] = st.quote;
                        r += 2;
                    } else if (ch == st.escapeEscape && r + 1 < n && c[r + 1] == st.escape && st.escape != st.quote) {
                        c[w++] = st.escape;
                        r += 2;
                    } else if (ch == st.quote) {
                        if (st.escape == st.quote && r + 1 < n && c[r + 1] == st.quote) {
                            c[w++] = st.quote;
                            r += 2;
                        } else {
                            closed = true;
                            r++;
                            break;
                        }
                    } else {
                        c[w++] = ch;
                        r++;
                    }
                }
                end = w;
                i = r;
                if (closed) {
                    int after = i;
                    while (after < n && c[after] <= ' ' && !isSep(c, after, n, sep0, oneCharSep)) {
                        after++;
                    }
                    if (after < n && !isSep(c, after, n, sep0, oneCharSep)) {
                        // STOP_AT_DELIMITER: the closing quote was not one; keep it and the rest up to the separator.
                        c[w++] = st.quote;
                        while (i < n && !isSep(c, i, n, sep0, oneCharSep)) {
                            c[w++] = c[i++];
                        }
                        end = w;
                    } else {
                        i = after;
                    }
                }
            } else {
                while (i < n && !isSep(c, i, n, sep0, oneCharSep)) {
                    i++;
                }
                end = i;
                if (st.ignoreTrailing) {
                    while (end > start && c[end - 1] <= ' ') {
                        end--;
                    }
                }
            }
            starts[count] = start;
            ends[count] = end;
            states[count] = state;
            count++;
            if (i >= n) {
                return count;
            }
            i += st.sep.length();
            if (i >= n) {
                // A separator at the end: one more, empty token.
                if (count == starts.length) {
                    grow();
                }
                starts[count] = n;
                ends[count] = n;
                states[count] = UNQUOTED;
                return count + 1;
            }
        }
    }

    private boolean isSep(char[] c, int i, int n, char sep0, boolean oneChar) {
        if (c[i] != sep0) {
            return false;
        }
        if (oneChar) {
            return true;
        }
        String sep = s.sep;
        if (i + sep.length() > n) {
            return false;
        }
        for (int j = 1; j < sep.length(); j++) {
            if (c[i + j] != sep.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        int size = starts.length * 2;
        starts = Arrays.copyOf(starts, size);
        ends = Arrays.copyOf(ends, size);
        states = Arrays.copyOf(states, size);
    }

    private void convert(int k, PackedRow row) {
        Settings st = s;
        int pos = st.positions[k];
        int start = starts[k];
        int len = ends[k] - start;
        char[] c = chars;
        if (len > st.maxCharsPerColumn) {
            throw new IllegalArgumentException("column '" + st.schema.apply(pos).name() + "' has " + len
                + " characters, more than maxCharsPerColumn (" + st.maxCharsPerColumn + ")");
        }
        String datum = null;
        if (len == 0) {
            // univocity: an empty unquoted value reads as nullValue, an empty quoted one as emptyValue.
            datum = states[k] == QUOTED ? st.emptyValue : st.nullValue;
            if (datum.equals(st.nullValue)) {
                row.setNull(pos);
                return;
            }
        } else if (equalsText(c, start, len, st.nullValue)) {
            row.setNull(pos);
            return;
        }
        byte kind = st.kinds[pos];
        switch (kind) {
            case RowKind.STRING -> row.setString(pos, datum != null ? datum : new String(c, start, len));
            case RowKind.INT -> row.setInt(pos, datum != null ? Integer.parseInt(datum) : parseInt(c, start, len));
            case RowKind.LONG -> row.setLong(pos, datum != null ? Long.parseLong(datum) : parseLong(c, start, len));
            case RowKind.DOUBLE -> row.setDouble(pos, floating(datum != null ? datum : new String(c, start, len)));
            case RowKind.FLOAT -> row.setFloat(pos, (float) floatingFloat(datum != null ? datum : new String(c, start, len)));
            case RowKind.BOOLEAN -> row.setBoolean(pos, bool(datum != null ? datum : new String(c, start, len)));
            case RowKind.SHORT -> row.setShort(pos, Short.parseShort(datum != null ? datum : new String(c, start, len)));
            case RowKind.BYTE -> row.setByte(pos, Byte.parseByte(datum != null ? datum : new String(c, start, len)));
            case RowKind.TIMESTAMP -> {
                if (datum != null) {
                    row.setTimestampMicros(pos, st.dateTimes.timestampMicros(datum.toCharArray(), 0, datum.length()));
                } else {
                    row.setTimestampMicros(pos, st.dateTimes.timestampMicros(c, start, len));
                }
            }
            case RowKind.DATE -> {
                if (datum != null) {
                    row.setDateDays(pos, st.dateTimes.dateDays(datum.toCharArray(), 0, datum.length()));
                } else {
                    row.setDateDays(pos, st.dateTimes.dateDays(c, start, len));
                }
            }
            case RowKind.DECIMAL -> {
                String text = datum != null ? datum : new String(c, start, len);
                row.setDecimal(pos, JsonRowDecoder.fit(new BigDecimal(text.replace(",", "")), (DecimalType) st.schema.apply(pos).dataType()));
            }
            default -> row.setNull(pos);
        }
    }

    private double floating(String datum) {
        if (datum.equals(s.nanValue)) {
            return Double.NaN;
        } else if (datum.equals(s.negativeInf)) {
            return Double.NEGATIVE_INFINITY;
        } else if (datum.equals(s.positiveInf)) {
            return Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(datum);
    }

    private float floatingFloat(String datum) {
        if (datum.equals(s.nanValue)) {
            return Float.NaN;
        } else if (datum.equals(s.negativeInf)) {
            return Float.NEGATIVE_INFINITY;
        } else if (datum.equals(s.positiveInf)) {
            return Float.POSITIVE_INFINITY;
        }
        return Float.parseFloat(datum);
    }

    /** Scala's {@code toBoolean}: {@code true} or {@code false}, any case. */
    private static boolean bool(String datum) {
        if (datum.equalsIgnoreCase("true")) {
            return true;
        } else if (datum.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("For input string: \"" + datum + "\" (expected true or false)");
    }

    private static boolean equalsText(char[] c, int start, int len, String text) {
        if (text.length() != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (c[start + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@link Integer#parseInt} on a char range, ASCII digits; anything else goes to the JDK for its exact rule. */
    private static int parseInt(char[] c, int start, int len) {
        long v = parseLongOrFlag(c, start, len, 10);
        if (v == Long.MIN_VALUE || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return Integer.parseInt(new String(c, start, len));
        }
        return (int) v;
    }

    private static long parseLong(char[] c, int start, int len) {
        long v = parseLongOrFlag(c, start, len, 18);
        return v == Long.MIN_VALUE ? Long.parseLong(new String(c, start, len)) : v;
    }

    /** @return the value of at most {@code maxDigits} ASCII digits with an optional sign, or Long.MIN_VALUE. */
    private static long parseLongOrFlag(char[] c, int start, int len, int maxDigits) {
        int i = start;
        int end = start + len;
        boolean negative = false;
        if (c[i] == '-' || c[i] == '+') {
            negative = c[i] == '-';
            i++;
        }
        if (i == end || end - i > maxDigits) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; i < end; i++) {
            char ch = c[i];
            if (ch < '0' || ch > '9') {
                return Long.MIN_VALUE;
            }
            v = v * 10 + (ch - '0');
        }
        return negative ? -v : v;
    }

    private BadRecordException bad(PackedRow row, byte[] bytes, int offset, int length, Throwable cause) {
        if (s.corruptIndex >= 0) {
            row.setString(s.corruptIndex, new String(bytes, offset, length, StandardCharsets.UTF_8));
        }
        return new BadRecordException(row, cause);
    }

    /**
     * The row PERMISSIVE makes of a line rejected before decoding: every field null, the line in the corrupt
     * column.
     *
     * @param line the raw line.
     * @return the row.
     */
    public Row corruptRow(String line) {
        PackedRow row = s.template.copy();
        if (s.corruptIndex >= 0) {
            row.setString(s.corruptIndex, line);
        }
        return row;
    }

    /** The compiled schema and options: immutable, shared by every reader of a source. */
    private static final class Settings {
        final StructType schema;
        final PackedRow template;
        final byte[] kinds;
        final int[] positions;
        final int corruptIndex;
        final String sep;
        final char quote;
        final char escape;
        final int escapeEscape;
        final String nullValue;
        final String emptyValue;
        final String nanValue;
        final String positiveInf;
        final String negativeInf;
        final int comment;
        final boolean ignoreLeading;
        final boolean ignoreTrailing;
        final boolean enforceSchema;
        final int maxColumns;
        final int maxCharsPerColumn;
        final DateTimes dateTimes;

        Settings(StructType schema, String sep, char quote, char escape, String nullValue, Character comment,
                 Map<String, String> options) {
            for (StructField f : schema.fields()) {
                DataType t = f.dataType();
                if (t instanceof ArrayType || t instanceof MapType || t instanceof StructType || t instanceof BinaryType) {
                    throw new IllegalArgumentException("CSV data source does not support " + t.simpleString()
                        + " data type (column '" + f.name() + "').");
                }
            }
            this.schema = schema;
            this.template = new PackedRow(schema);
            this.corruptIndex = JsonRowDecoder.corruptIndex(schema, RowFormatOptions.corruptColumn(options));
            this.kinds = new byte[schema.size()];
            this.positions = new int[corruptIndex >= 0 ? schema.size() - 1 : schema.size()];
            int k = 0;
            for (int i = 0; i < schema.size(); i++) {
                kinds[i] = RowKind.of(schema.apply(i).dataType());
                if (i != corruptIndex) {
                    positions[k++] = i;
                }
            }
            this.sep = sep;
            this.quote = quote;
            this.escape = escape;
            String escapeEscapeText = options.get("charToEscapeQuoteEscaping");
            this.escapeEscape = escapeEscapeText != null ? escapeEscapeText.charAt(0) : (escape != quote ? escape : -1);
            this.nullValue = nullValue;
            this.emptyValue = options.getOrDefault("emptyValue", "");
            this.nanValue = options.getOrDefault("nanValue", "NaN");
            this.positiveInf = options.getOrDefault("positiveInf", "Inf");
            this.negativeInf = options.getOrDefault("negativeInf", "-Inf");
            this.comment = comment == null ? -1 : comment;
            this.ignoreLeading = RowFormatOptions.flag(options, "ignoreLeadingWhiteSpace", false);
            this.ignoreTrailing = RowFormatOptions.flag(options, "ignoreTrailingWhiteSpace", false);
            this.enforceSchema = RowFormatOptions.flag(options, "enforceSchema", true);
            this.maxColumns = Integer.parseInt(options.getOrDefault("maxColumns", "20480"));
            int maxChars = Integer.parseInt(options.getOrDefault("maxCharsPerColumn", "-1"));
            this.maxCharsPerColumn = maxChars < 0 ? Integer.MAX_VALUE : maxChars;
            this.dateTimes = RowFormatOptions.dateTimes(options);
        }
    }
}
