package io.rivulet.engine.sql.expressions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.internal.PackedRow;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.MapType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bodies of {@code from_json}, {@code to_json} and {@code from_csv}, with Spark's PERMISSIVE default: a
 * malformed record gives a struct whose fields are all NULL (Spark 3's behaviour; Spark 2 gave NULL), a field
 * whose value does not fit its type is NULL, fields not in the schema are ignored, a NULL input is NULL.
 * {@code to_json} omits NULL fields and prints timestamps as {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in UTC, as
 * Spark's defaults do. Stateless and thread-safe (Jackson's mapper is).
 */
public final class JsonFunctions {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter JSON_TIMESTAMP =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private JsonFunctions() {
    }

    /**
     * @param json   a JSON object text.
     * @param schema the struct wanted.
     * @return the row, or a row of NULLs if the text is not a JSON object.
     */
    public static Row fromJson(String json, StructType schema) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return PackedRow.of(schema, new Object[schema.size()]);
        }
        return (Row) convert(node, schema);
    }

    private static Object convert(JsonNode node, DataType type) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (type instanceof StructType struct) {
            if (!node.isObject()) {
                return null;
            }
            Object[] values = new Object[struct.size()];
            for (int i = 0; i < values.length; i++) {
                StructField f = struct.apply(i);
                values[i] = convert(node.get(f.name()), f.dataType());
            }
            return PackedRow.of(struct, values);
        }
        if (type instanceof ArrayType array) {
            if (!node.isArray()) {
                return null;
            }
            List<Object> out = new ArrayList<>(node.size());
            for (JsonNode e : node) {
                out.add(convert(e, array.elementType()));
            }
            return out;
        }
        if (type instanceof MapType map) {
            if (!node.isObject()) {
                return null;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                out.put(e.getKey(), convert(e.getValue(), map.valueType()));
            }
            return out;
        }
        if (type == DataTypes.StringType) {
            return node.isTextual() ? node.textValue() : node.toString();
        }
        if (type == DataTypes.BooleanType) {
            return node.isBoolean() ? node.booleanValue() : null;
        }
        if (type == DataTypes.IntegerType) {
            return node.isIntegralNumber() && node.canConvertToInt() ? node.intValue() : null;
        }
        if (type == DataTypes.LongType) {
            return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
        }
        if (type == DataTypes.ShortType) {
            return node.isIntegralNumber() && node.intValue() == (short) node.intValue() ? (short) node.intValue() : null;
        }
        if (type == DataTypes.ByteType) {
            return node.isIntegralNumber() && node.intValue() == (byte) node.intValue() ? (byte) node.intValue() : null;
        }
        if (type == DataTypes.DoubleType) {
            return node.isNumber() ? node.doubleValue() : null;
        }
        if (type == DataTypes.FloatType) {
            return node.isNumber() ? node.floatValue() : null;
        }
        if (type instanceof DecimalType d) {
            if (!node.isNumber()) {
                return null;
            }
            return Arithmetic.fit(node.decimalValue(), d);
        }
        if (type == DataTypes.TimestampType) {
            if (node.isTextual()) {
                Long micros = Cast.parseTimestamp(node.textValue());
                return micros == null ? null : PackedRow.toInstant(micros);
            }
            return node.isIntegralNumber() ? PackedRow.toInstant(node.longValue() * 1_000_000L) : null;
        }
        if (type == DataTypes.DateType) {
            try {
                return node.isTextual() ? LocalDate.parse(node.textValue().strip()) : null;
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * @param value a struct (Row), array (List) or map.
     * @param type  its type.
     * @return it as JSON text.
     */
    public static String toJson(Object value, DataType type) {
        return toNode(value, type).toString();
    }

    private static JsonNode toNode(Object value, DataType type) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (type instanceof StructType struct) {
            Row row = (Row) value;
            ObjectNode obj = f.objectNode();
            for (int i = 0; i < struct.size(); i++) {
                if (!row.isNullAt(i)) {
                    obj.set(struct.apply(i).name(), toNode(row.get(i), struct.apply(i).dataType()));
                }
            }
            return obj;
        }
        if (type instanceof ArrayType array) {
            ArrayNode arr = f.arrayNode();
            for (Object e : (List<?>) value) {
                arr.add(toNode(e, array.elementType()));
            }
            return arr;
        }
        if (type instanceof MapType map) {
            ObjectNode obj = f.objectNode();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                obj.set(String.valueOf(e.getKey()), toNode(e.getValue(), map.valueType()));
            }
            return obj;
        }
        if (value instanceof Instant i) {
            return f.textNode(JSON_TIMESTAMP.format(i));
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return f.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof Double d) {
            return f.numberNode(d);
        }
        if (value instanceof Float x) {
            return f.numberNode(x);
        }
        if (value instanceof BigDecimal d) {
            return f.numberNode(d);
        }
        return f.textNode(value.toString());
    }

    /**
     * @param csv    one CSV record (comma-separated, double-quoted fields).
     * @param schema the struct wanted; values convert as {@code CAST(string AS type)}.
     * @return the row; a row of NULLs for an unparseable record.
     */
    public static Row fromCsv(String csv, StructType schema) {
        Object[] values = new Object[schema.size()];
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.DEFAULT)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() == 1) {
                CSVRecord record = records.get(0);
                EvalContext ctx = new EvalContext();
                for (int i = 0; i < values.length && i < record.size(); i++) {
                    Cast cast = new Cast(Literal.of(record.get(i), DataTypes.StringType), schema.apply(i).dataType(),
                        false);
                    values[i] = cast.eval(null, ctx);
                }
            }
        } catch (IOException | RuntimeException e) {
            Arrays.fill(values, null);
        }
        return PackedRow.of(schema, values);
    }
}
