package io.rivulet.engine.sql;

import io.rivulet.engine.source.Sources;
import io.rivulet.engine.sql.connector.ConnectorSource;
import io.rivulet.engine.sql.connector.SourceProvider;
import io.rivulet.engine.types.DataTypes;
import io.rivulet.engine.types.StructType;

import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * A connector known only to the tests, registered in {@code src/test/resources/META-INF/services}: format
 * {@code counting-test} reads the bounded rows {@code n BIGINT} 0..{@code count}-1.
 */
public final class CountingTestProvider implements SourceProvider {
    static final StructType SCHEMA = new StructType().add("n", DataTypes.LongType);

    @Override
    public String shortName() {
        return "counting-test";
    }

    @Override
    public Set<String> optionNames() {
        return Set.of("count");
    }

    @Override
    public ConnectorSource<?> createSource(Map<String, String> options, StructType userSchema) {
        String count = options.get("count");
        if (count == null) {
            throw new IllegalArgumentException("option 'count' is required");
        }
        return ConnectorSource.of(Sources.fromIterable(LongStream.range(0, Long.parseLong(count)).boxed().toList()), SCHEMA,
            n -> Row.of(SCHEMA, n));
    }
}
