package io.rivulet.engine.sql.internal.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.DecimalType;
import io.rivulet.engine.types.DoubleType;
import io.rivulet.engine.types.LongType;
import io.rivulet.engine.types.NullType;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spark's JSON-lines schema inference ({@code JsonInferSchema}): every line of every file (blank lines skipped) is an
 * object, or an array of objects; the schema is the common type of their types. A value's type: a whole number
 * {@code bigint} (beyond it {@code decimal(p,s)}, beyond 38 digits {@code double}), a fraction {@code double}, a
 * string {@code string}, {@code true}/{@code false} {@code boolean}, an object a {@code struct} of its fields sorted
 * by name, an array an {@code array} of its elements' common type, {@code null} nothing yet. Common types: Spark's
 * widening ({@code bigint} and {@code double} to {@code double}, decimals to the wider decimal, structs field by
 * field, arrays by element), anything else {@code string}. Then a field seen only as {@code null} (or an empty
 * array's element) is a {@code string}, and an empty struct is dropped. Options: {@code primitivesAsString},
 * {@code prefersDecimal}, {@code dropFieldIfAllNull} and the parser's ({@code allowComments}, ...), as Spark's;
 * timestamps are not inferred (Spark's {@code inferTimestamp} default, false). A line that is not JSON, or not an
 * object or an array of them, fails the inference naming the file and line (Spark's FAILFAST; Rivulet's static
 * json reads are FAILFAST).
 *
 * <p>Stateless; runs on the caller's thread.
 */
public final class JsonSchemaInference {
    private static final Comparator<StructField> BY_NAME = Comparator.comparing(StructField::name);

    private final JsonFactory factory;
    private final boolean primitivesAsString;
    private final boolean prefersDecimal;
    private final boolean dropFieldIfAllNull;

    private JsonSchemaInference(Map<String, String> options) {
        Map<String, String> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        named.putAll(options);
        this.factory = new JsonFactoryBuilder()
            .configure(JsonReadFeature.ALLOW_JAVA_COMMENTS, RowFormatOptions.flag(named, "allowComments", false))
            .configure(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, RowFormatOptions.flag(named, "allowUnquotedFieldNames", false))
            .configure(JsonReadFeature.ALLOW_SINGLE_QUOTES, RowFormatOptions.flag(named, "allowSingleQuotes", true))
            .configure(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS, RowFormatOptions.flag(named, "allowNumericLeadingZeros", false))
            .configure(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, RowFormatOptions.flag(named, "allowNonNumericNumbers", true))
            .configure(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
                RowFormatOptions.flag(named, "allowBackslashEscapingAnyCharacter", false))
            .configure(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, RowFormatOptions.flag(named, "allowUnquotedControlChars", false))
            .build();
        this.primitivesAsString = RowFormatOptions.flag(named, "primitivesAsString", false);
        this.prefersDecimal = RowFormatOptions.flag(named, "prefersDecimal", false);
        this.dropFieldIfAllNull = RowFormatOptions.flag(named, "dropFieldIfAllNull", false);
    }

    /**
     * The schema of the JSON lines of {@code files}.
     *
     * @param files the files, read in this order
     * @param options the read's options (Spark's json names, any case), or none
     * @return the schema; no column when no line holds a field
     * @throws IOException if a file cannot be read, or naming the file and line of a malformed one
     */
    public static StructType infer(List<Path> files, Map<String, String> options) throws IOException {
        JsonSchemaInference inference = new JsonSchemaInference(options);
        DataType root = new StructType();
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    root = rootCommon(root, inference.lineType(line));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new IOException(file + " line " + (i + 1) + ": Malformed records are detected in schema"
                        + " inference. Parse Mode: FAILFAST. " + e.getMessage(), e);
                }
            }
        }
        DataType canonical = inference.canonical(root);
        return canonical instanceof StructType struct ? struct : new StructType();
    }

    private DataType lineType(String line) throws IOException {
        try (JsonParser parser = factory.createParser(line)) {
            parser.nextToken();
            DataType type = field(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("text after the JSON value");
            }
            return type;
        }
    }

    /** Spark's {@code compatibleRootType}: arrays of records unwrap; a record and anything else is malformed. */
    private static DataType rootCommon(DataType a, DataType b) {
        if (a instanceof ArrayType array) {
            return rootCommon(array.elementType(), b);
        }
        if (b instanceof ArrayType array) {
            return rootCommon(a, array.elementType());
        }
        if (a instanceof NullType) {
            return b instanceof StructType ? b : malformed(b);
        }
        if (b instanceof NullType) {
            return a instanceof StructType ? a : malformed(a);
        }
        if (!(a instanceof StructType) || !(b instanceof StructType)) {
            return malformed(a instanceof StructType ? b : a);
        }
        return common(a, b);
    }

    private static DataType malformed(DataType type) {
        throw new IllegalArgumentException("a line holds a " + type.simpleString() + ", not a JSON object");
    }

    private DataType field(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null || token == JsonToken.VALUE_NULL) {
            return DataTypes.NullType;
        }
        switch (token) {
            case FIELD_NAME -> {
                parser.nextToken();
                return field(parser);
            }
            case VALUE_STRING -> {
                if (primitivesAsString) {
                    return DataTypes.StringType;
                }
                if (prefersDecimal) {
                    DataType decimal = decimalOf(parser.getText());
                    if (decimal != null) {
                        return decimal;
                    }
                }
                return DataTypes.StringType;
            }
            case START_OBJECT -> {
                List<StructField> fields = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_OBJECT) {
                    String name = parser.currentName();
                    parser.nextToken();
                    fields.add(new StructField(name, field(parser), true, null));
                }
                fields.sort(BY_NAME);
                return new StructType(fields.toArray(new StructField[0]));
            }
            case START_ARRAY -> {
                DataType element = DataTypes.NullType;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    element = common(element, field(parser));
                }
                return DataTypes.createArrayType(element, true);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                if (primitivesAsString) {
                    return DataTypes.StringType;
                }
                return number(parser);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return primitivesAsString ? DataTypes.StringType : DataTypes.BooleanType;
            }
            default -> throw new IllegalArgumentException("unexpected JSON token " + token);
        }
    }

    private DataType number(JsonParser parser) throws IOException {
        switch (parser.getNumberType()) {
            case INT, LONG -> {
                return DataTypes.LongType;
            }
            case BIG_INTEGER, BIG_DECIMAL -> {
                return decimalOrDouble(parser.getDecimalValue());
            }
            default -> {
                if (prefersDecimal && Double.isFinite(parser.getDoubleValue())) {
                    return decimalOrDouble(parser.getDecimalValue());
                }
                return DataTypes.DoubleType;
            }
        }
    }

    private static DataType decimalOf(String text) {
        try {
            BigDecimal value = new BigDecimal(text);
            int precision = Math.max(value.precision(), value.scale());
            return value.scale() >= 0 && precision <= DecimalType.MAX_PRECISION ? new DecimalType(precision, value.scale()) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A decimal of the value's precision and scale; a double beyond 38 digits or for a negative scale (1E+3). */
    private static DataType decimalOrDouble(BigDecimal value) {
        int precision = Math.max(value.precision(), value.scale());
        return value.scale() >= 0 && precision <= DecimalType.MAX_PRECISION ? new DecimalType(precision, value.scale())
            : DataTypes.DoubleType;
    }

    /** Spark's json {@code compatibleType}: the tightest common type, then structs, arrays, decimals; else string. */
    static DataType common(DataType a, DataType b) {
        if (a.equals(b)) {
            return a;
        }
        if (a instanceof NullType) {
            return b;
        }
        if (b instanceof NullType) {
            return a;
        }
        if ((a instanceof LongType && b instanceof DoubleType) || (a instanceof DoubleType && b instanceof LongType)) {
            return DataTypes.DoubleType;
        }
        if ((a instanceof DoubleType && b instanceof DecimalType) || (a instanceof DecimalType && b instanceof DoubleType)) {
            return DataTypes.DoubleType;
        }
        if (a instanceof LongType && b instanceof DecimalType db) {
            return widerDecimal(new DecimalType(20, 0), db);
        }
        if (a instanceof DecimalType da && b instanceof LongType) {
            return widerDecimal(da, new DecimalType(20, 0));
        }
        if (a instanceof DecimalType da && b instanceof DecimalType db) {
            return widerDecimal(da, db);
        }
        if (a instanceof StructType sa && b instanceof StructType sb) {
            return mergeStructs(sa, sb);
        }
        if (a instanceof ArrayType aa && b instanceof ArrayType ab) {
            return DataTypes.createArrayType(common(aa.elementType(), ab.elementType()),
                aa.containsNull() || ab.containsNull());
        }
        return DataTypes.StringType;
    }

    private static DataType widerDecimal(DecimalType a, DecimalType b) {
        int scale = Math.max(a.scale(), b.scale());
        int range = Math.max(a.precision() - a.scale(), b.precision() - b.scale());
        return range + scale > DecimalType.MAX_PRECISION ? DataTypes.DoubleType : new DecimalType(range + scale, scale);
    }

    private static StructType mergeStructs(StructType a, StructType b) {
        StructField[] x = a.fields();
        StructField[] y = b.fields();
        List<StructField> merged = new ArrayList<>(x.length + y.length);
        int i = 0;
        int j = 0;
        while (i < x.length || j < y.length) {
            int c = i == x.length ? 1 : j == y.length ? -1 : x[i].name().compareTo(y[j].name());
            if (c == 0) {
                merged.add(new StructField(x[i].name(), common(x[i].dataType(), y[j].dataType()), true, null));
                i++;
                j++;
            } else if (c < 0) {
                merged.add(x[i++]);
            } else {
                merged.add(y[j++]);
            }
        }
        return new StructType(merged.toArray(new StructField[0]));
    }

    /** Spark's {@code canonicalizeType}: NULL-only to string (or dropped), empty structs and unnamed fields dropped. */
    private DataType canonical(DataType type) {
        if (type instanceof ArrayType array) {
            DataType element = canonical(array.elementType());
            return element == null ? null : DataTypes.createArrayType(element, array.containsNull());
        }
        if (type instanceof StructType struct) {
            List<StructField> fields = new ArrayList<>();
            for (StructField f : struct.fields()) {
                DataType t = f.name().isEmpty() ? null : canonical(f.dataType());
                if (t != null) {
                    fields.add(new StructField(f.name(), t, true, null));
                }
            }
            return fields.isEmpty() ? null : new StructType(fields.toArray(new StructField[0]));
        }
        if (type instanceof NullType) {
            return dropFieldIfAllNull ? null : DataTypes.StringType;
        }
        return type;
    }
}
