package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.source.RateRow;
import io.rivulet.engine.source.RateSource;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;

import java.util.Map;
import java.util.Set;

/**
 * {@code format("rate")}: Spark's rate source ({@link RateSource}), rows {@code timestamp TIMESTAMP,
 * value BIGINT}; options {@code rowsPerSecond}, {@code rampUpTime}, {@code numPartitions}. Stateless.
 */
public final class RateProvider implements SourceProvider {
    /** Spark's schema of the rate source. */
    public static final StructType SCHEMA = new StructType().add("timestamp", DataTypes.TimestampType)
        .add("value", DataTypes.LongType);
    private static final Set<String> OPTIONS = Formats.names(Set.of("rowsPerSecond", "rampUpTime", "numPartitions"));

    @Override
    public String shortName() {
        return "rate";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        Formats.rejectSchema("rate", userSchema);
        ProviderOptions checked = ProviderOptions.check("source 'rate'", options, OPTIONS);
        RateSource source = Sources.rate();
        for (Map.Entry<String, String> option : checked.all().entrySet()) {
            source = source.option(option.getKey(), option.getValue());
        }
        return ConnectorSource.of(source, SCHEMA, RateProvider::row);
    }

    private static MutableRow row(RateRow rate) {
        MutableRow row = MutableRow.create(SCHEMA);
        row.setTimestampMicros(0, Math.multiplyExact(rate.timestampMs(), 1_000L));
        row.setLong(1, rate.value());
        return row;
    }
}
