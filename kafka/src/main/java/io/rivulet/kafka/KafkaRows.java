package io.rivulet.kafka;

import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.Row;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.util.ArrayList;
import java.util.List;

/**
 * Spark's row shape of a Kafka record: {@code key BINARY, value BINARY, topic STRING, partition INT,
 * offset BIGINT, timestamp TIMESTAMP, timestampType INT} and, with {@code includeHeaders},
 * {@code headers ARRAY<STRUCT<key: STRING, value: BINARY>>}. Stateless.
 */
public final class KafkaRows {
    /** The schema of a header, as in Spark. */
    public static final StructType HEADER = new StructType().add("key", DataTypes.StringType, false)
        .add("value", DataTypes.BinaryType);
    /** Spark's Kafka source schema without headers. */
    public static final StructType SCHEMA = new StructType()
        .add("key", DataTypes.BinaryType)
        .add("value", DataTypes.BinaryType)
        .add("topic", DataTypes.StringType)
        .add("partition", DataTypes.IntegerType)
        .add("offset", DataTypes.LongType)
        .add("timestamp", DataTypes.TimestampType)
        .add("timestampType", DataTypes.IntegerType);
    /** Spark's Kafka source schema with {@code includeHeaders}. */
    public static final StructType SCHEMA_WITH_HEADERS = SCHEMA.add("headers",
        DataTypes.createArrayType(HEADER, false));

    private KafkaRows() {
    }

    /**
     * @param record a record read with byte-array deserializers
     * @param headers whether to fill the {@code headers} column ({@link #SCHEMA_WITH_HEADERS})
     * @return a new row of {@link #SCHEMA} or {@link #SCHEMA_WITH_HEADERS}; {@code timestampType} is 0 for
     *     create time, 1 for log-append time (Spark's numbering), -1 when the record has none
     */
    public static Row row(ConsumerRecord<byte[], byte[]> record, boolean headers) {
        MutableRow row = MutableRow.create(headers ? SCHEMA_WITH_HEADERS : SCHEMA);
        if (record.key() == null) {
            row.setNull(0);
        } else {
            row.setBinary(0, record.key());
        }
        if (record.value() == null) {
            row.setNull(1);
        } else {
            row.setBinary(1, record.value());
        }
        row.setString(2, record.topic());
        row.setInt(3, record.partition());
        row.setLong(4, record.offset());
        row.setTimestampMicros(5, Math.multiplyExact(record.timestamp(), 1_000L));
        row.setInt(6, record.timestampType().id);
        if (headers) {
            List<Row> list = new ArrayList<>();
            for (Header header : record.headers()) {
                list.add(Row.of(HEADER, header.key(), header.value()));
            }
            row.setList(7, list);
        }
        return row;
    }
}
