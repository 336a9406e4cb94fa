package io.rivulet.kafka.internal;

import io.rivulet.engine.sink.Sink;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.sql.connector.SinkProvider;
import io.rivulet.engine.types.ArrayType;
import io.rivulet.engine.types.DataType;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructField;
import io.rivulet.engine.types.StructType;
import io.rivulet.kafka.KafkaSink;
import io.rivulet.operators.OutputMode;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code writeStream().format("kafka")}: Spark's Kafka sink over a {@link KafkaSink}. Columns as in Spark:
 * {@code value} (string or binary, required), {@code key} (string or binary), {@code topic} (string;
 * required unless the {@code topic} option is set, which then wins), {@code partition} (int),
 * {@code headers} (array of struct key string, value binary); other columns are ignored. Options:
 * {@code kafka.bootstrap.servers} (required), {@code topic}, {@code kafka.*} passed to the producer, and
 * Rivulet's {@code stagingLocation} (makes the sink exactly-once, staging epochs there) and
 * {@code transactionalIdPrefix} and {@code epochMarkerTopic}. Unknown options are refused, naming the known ones. Stateless.
 */
public final class KafkaSinkProvider implements SinkProvider {
    private static final Set<String> OPTIONS = Set.of("kafka.bootstrap.servers", "topic", "stagingLocation",
        "transactionalIdPrefix", "epochMarkerTopic", "kafka.*");

    /** Needed by {@link java.util.ServiceLoader}. */
    public KafkaSinkProvider() {
    }

    @Override
    public String shortName() {
        return "kafka";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public Sink<Row> createSink(Map<String, String> options, StructType schema, OutputMode outputMode, String queryName) {
        Map<String, String> given = KafkaOptions.check("sink 'kafka'", options, OPTIONS);
        String bootstrap = null;
        String topic = null;
        String staging = null;
        String prefix = null;
        String markerTopic = null;
        for (Map.Entry<String, String> option : given.entrySet()) {
            switch (option.getKey().toLowerCase(Locale.ROOT)) {
                case "kafka.bootstrap.servers" -> bootstrap = option.getValue();
                case "topic" -> topic = option.getValue();
                case "staginglocation" -> staging = option.getValue();
                case "transactionalidprefix" -> prefix = option.getValue();
                case "epochmarkertopic" -> markerTopic = option.getValue();
                default -> { }
            }
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("Option 'kafka.bootstrap.servers' must be specified for configuring Kafka "
                + "producer");
        }
        int value = column(schema, "value", true, DataTypes.StringType, DataTypes.BinaryType);
        int key = column(schema, "key", false, DataTypes.StringType, DataTypes.BinaryType);
        int partition = column(schema, "partition", false, DataTypes.IntegerType);
        int topicColumn = topic != null ? -1 : column(schema, "topic", false, DataTypes.StringType);
        if (topic == null && topicColumn < 0) {
            throw new IllegalArgumentException("topic option required when no 'topic' attribute is present. Use the topic "
                + "option for setting a topic.");
        }
        int headers = headersColumn(schema);
        boolean stringValue = value >= 0 && schema.fields()[value].dataType().equals(DataTypes.StringType);
        boolean stringKey = key >= 0 && schema.fields()[key].dataType().equals(DataTypes.StringType);
        String fixedTopic = topic;
        KafkaSink<Row> sink = KafkaSink.<Row>of(bootstrap, row -> {
            String to = fixedTopic != null ? fixedTopic : row.getString(topicColumn);
            if (to == null) {
                throw new NullPointerException("null topic present in the data. Use the topic option for setting a "
                    + "default topic.");
            }
            return new ProducerRecord<>(to, partition < 0 || row.isNullAt(partition) ? null : row.getInt(partition), null,
                bytes(row, key, stringKey), bytes(row, value, stringValue), headers(row, headers));
        });
        for (Map.Entry<String, String> option : given.entrySet()) {
            String name = option.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("kafka.") && !name.equals("kafka.bootstrap.servers")) {
                sink = sink.option(option.getKey().substring("kafka.".length()), option.getValue());
            }
        }
        if (prefix != null) {
            sink = sink.transactionalIdPrefix(prefix);
        }
        if (markerTopic != null) {
            sink = sink.epochMarkerTopic(markerTopic);
        }
        if (staging != null) {
            sink = sink.exactlyOnce(Path.of(staging));
        }
        return sink;
    }

    private static int column(StructType schema, String name, boolean required, DataType... types) {
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equalsIgnoreCase(name)) {
                for (DataType type : types) {
                    if (fields[i].dataType().equals(type)) {
                        return i;
                    }
                }
                List<String> names = new ArrayList<>();
                for (DataType type : types) {
                    names.add(type.simpleString());
                }
                throw new IllegalArgumentException(name + " attribute type must be a " + String.join(" or ", names)
                    + ", got " + fields[i].dataType().simpleString());
            }
        }
        if (required) {
            throw new IllegalArgumentException("Required attribute '" + name + "' not found");
        }
        return -1;
    }

    private static int headersColumn(StructType schema) {
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equalsIgnoreCase("headers")) {
                if (fields[i].dataType() instanceof ArrayType array && array.elementType() instanceof StructType element
                    && element.size() == 2 && element.fields()[0].dataType().equals(DataTypes.StringType)
                    && element.fields()[1].dataType().equals(DataTypes.BinaryType)) {
                    return i;
                }
                throw new IllegalArgumentException("headers attribute type must be array<struct<key:string,value:binary>>, "
                    + "got " + fields[i].dataType().simpleString());
            }
        }
        return -1;
    }

    private static byte[] bytes(Row row, int column, boolean string) {
        if (column < 0 || row.isNullAt(column)) {
            return null;
        }
        return string ? row.getString(column).getBytes(StandardCharsets.UTF_8) : row.getBinary(column);
    }

    private static List<Header> headers(Row row, int column) {
        if (column < 0 || row.isNullAt(column)) {
            return null;
        }
        List<Row> list = row.getList(column);
        List<Header> headers = new ArrayList<>(list.size());
        for (Row header : list) {
            headers.add(new RecordHeader(header.getString(0), header.isNullAt(1) ? null : header.getBinary(1)));
        }
        return headers;
    }
}
