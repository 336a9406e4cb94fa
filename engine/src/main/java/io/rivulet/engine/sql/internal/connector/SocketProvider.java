package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.internal.Options;
import io.rivulet.engine.source.SocketSource;
import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.MutableRow;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;

import java.util.Map;
import java.util.Set;

/**
 * {@code format("socket")}: Spark's socket source ({@link SocketSource}), rows {@code value STRING}, and
 * with {@code includeTimestamp} also {@code timestamp TIMESTAMP}: the wall-clock time the line was read
 * (as Spark, not replayable). Options {@code host} and {@code port} (both required, Spark's errors),
 * {@code includeTimestamp}, and the source's {@code connectTimeout}, {@code reconnect},
 * {@code maxLineLength}. Stateless.
 */
public final class SocketProvider implements SourceProvider {
    /** Rows without {@code includeTimestamp}. */
    public static final StructType SCHEMA = new StructType().add("value", DataTypes.StringType);
    /** Rows with {@code includeTimestamp}. */
    public static final StructType TIMESTAMPED = SCHEMA.add("timestamp", DataTypes.TimestampType);
    private static final Set<String> OPTIONS = Formats.names(Set.of("host", "port", "includeTimestamp",
        "connectTimeout", "reconnect", "maxLineLength"));

    @Override
    public String shortName() {
        return "socket";
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        Formats.rejectSchema("socket", userSchema);
        ProviderOptions checked = ProviderOptions.check("source 'socket'", options, OPTIONS);
        String host = checked.required("host", "Set a host to read from with option(\"host\", ...).");
        String port = checked.required("port", "Set a port to read from with option(\"port\", ...).");
        int portNumber;
        try {
            portNumber = Options.parseInt(port.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option 'port' of source 'socket': " + e.getMessage(), e);
        }
        SocketSource source = Sources.socket(host, portNumber);
        boolean timestamps = false;
        for (Map.Entry<String, String> option : checked.all().entrySet()) {
            String name = option.getKey();
            if (name.equalsIgnoreCase("includeTimestamp")) {
                try {
                    timestamps = Options.parseBoolean(option.getValue().trim());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("option 'includeTimestamp' of source 'socket': " + e.getMessage(), e);
                }
            } else if (!name.equalsIgnoreCase("host") && !name.equalsIgnoreCase("port")) {
                source = source.option(name, option.getValue());
            }
        }
        if (timestamps) {
            return ConnectorSource.of(source, TIMESTAMPED, line -> {
                MutableRow row = MutableRow.create(TIMESTAMPED);
                row.setString(0, line);
                // Spark stamps each line with the time it was read; the source task reads the clock here.
                row.setTimestampMicros(1, Math.multiplyExact(System.currentTimeMillis(), 1_000L));
                return row;
            });
        }
        return ConnectorSource.of(source, SCHEMA, line -> {
            MutableRow row = MutableRow.create(SCHEMA);
            row.setString(0, line);
            return row;
        });
    }
}
