package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.sink.JournalSink;
import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sink.Sinks;
import io.rivulet.engine.source.JournalSource;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import io.rivulet.journal.JournalOptions;
import io.rivulet.journal.StartPosition;
import io.rivulet.journal.codec.Codec;
import io.rivulet.journal.codec.Codecs;
import io.rivulet.operators.OutputMode;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code format("journal")}: Rivulet's journal (Chronicle Queue). Rows are one column {@code value} of the
 * journal's codec type: {@code codec} {@code string} (default) → {@code STRING}, {@code long} →
 * {@code BIGINT}, {@code int} → {@code INT}, {@code double} → {@code DOUBLE}, {@code binary} →
 * {@code BINARY}. Source options: {@code path} (required), {@code codec}, {@code readerName} (commit and
 * resume under that reader), {@code startingPosition} ({@code earliest} default, or {@code latest}),
 * {@code bounded} (end at the last record present at start). Sink options: {@code path} (required),
 * {@code codec} (default: from the single column's type); exactly once. Stateless.
 */
public final class JournalProvider implements SourceProvider, SinkProvider {
    private static final Set<String> SOURCE_OPTIONS = Formats.names(Set.of("path", "codec", "readerName",
        "startingPosition", "bounded"));
    private static final Set<String> SINK_OPTIONS = Formats.names(Set.of("path", "codec"));

    private record Kind(String name, DataType type, Codec<?> codec) {
    }

    private static final Kind[] KINDS = {
        new Kind("string", DataTypes.StringType, Codecs.strings()),
        new Kind("long", DataTypes.LongType, Codecs.longs()),
        new Kind("int", DataTypes.IntegerType, Codecs.ints()),
        new Kind("double", DataTypes.DoubleType, Codecs.doubles()),
        new Kind("binary", DataTypes.BinaryType, Codecs.byteArrays()),
    };

    @Override
    public String shortName() {
        return "journal";
    }

    @Override
    public Set<String> optionNames() {
        return Formats.names(SOURCE_OPTIONS, "codec");
    }

    @Override
    @SuppressWarnings("unchecked")
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        Formats.rejectSchema("journal", userSchema);
        ProviderOptions checked = ProviderOptions.check("source 'journal'", options, SOURCE_OPTIONS);
        Kind kind = kind(checked.get("codec"));
        JournalSource<Object> source = Sources.journal(JournalOptions.of(Formats.path(checked)), (Codec<Object>) kind.codec());
        if (checked.get("readerName") != null) {
            source = source.readerName(checked.get("readerName"));
        }
        if (checked.get("startingPosition") != null) {
            source = source.start(switch (checked.get("startingPosition").trim().toLowerCase(Locale.ROOT)) {
                case "earliest" -> StartPosition.earliest();
                case "latest" -> StartPosition.latest();
                default -> throw new IllegalArgumentException("option 'startingPosition' of source 'journal' must be"
                    + " earliest or latest, got '" + checked.get("startingPosition") + "'");
            });
        }
        if (checked.get("bounded") != null) {
            source = source.bounded(parseBoolean("bounded", checked.get("bounded")));
        }
        StructType schema = new StructType().add("value", kind.type());
        return ConnectorSource.of(source, schema, value -> {
            MutableRow row = MutableRow.create(schema);
            row.set(0, value);
            return row;
        });
    }

    @Override
    @SuppressWarnings("unchecked")
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        ProviderOptions checked = ProviderOptions.check("sink 'journal'", options, SINK_OPTIONS);
        if (schema.size() != 1) {
            throw new IllegalArgumentException("sink 'journal' writes one column, got " + schema.size() + ": "
                + schema.simpleString() + "; select the column to write");
        }
        DataType type = schema.fields()[0].dataType();
        Kind kind = checked.get("codec") != null ? kind(checked.get("codec")) : null;
        if (kind == null) {
            for (Kind k : KINDS) {
                if (k.type().equals(type)) {
                    kind = k;
                }
            }
            if (kind == null) {
                throw new IllegalArgumentException("sink 'journal' cannot write a column of type " + type.simpleString()
                    + "; the column must be string, bigint, int, double or binary");
            }
        } else if (!kind.type().equals(type)) {
            throw new IllegalArgumentException("option 'codec' of sink 'journal' is " + kind.name() + ", which writes "
                + kind.type().simpleString() + ", but the column '" + schema.fields()[0].name() + "' is " + type.simpleString());
        }
        JournalSink<Object> sink = Sinks.journal(JournalOptions.of(Formats.path(checked)), (Codec<Object>) kind.codec());
        String column = schema.fields()[0].name();
        return new ValueSink<>(sink, row -> {
            if (row.isNullAt(0)) {
                throw new NullPointerException("sink 'journal': column '" + column + "' is null; a journal holds no nulls");
            }
            return row.get(0);
        });
    }

    private static Kind kind(String codec) {
        if (codec == null) {
            return KINDS[0];
        }
        for (Kind kind : KINDS) {
            if (kind.name().equalsIgnoreCase(codec.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("option 'codec' of format 'journal' must be string, long, int, double or binary,"
            + " got '" + codec + "'");
    }

    private static boolean parseBoolean(String name, String value) {
        try {
            return Options.parseBoolean(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option '" + name + "' of source 'journal': " + e.getMessage(), e);
        }
    }
}
