package io.rivulet.engine.sql.internal.connector;

import io.rivulet.engine.types.StructType;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What several built-in formats share: the {@code path} option, the schema rules of file formats, and
 * Spark's error texts for them. Stateless.
 */
final class Formats {
    /** The options of Spark's file source that Rivulet's {@code FileSource} takes, plus its own two. */
    static final Set<String> FILE_SOURCE_OPTIONS = Set.of("path", "maxFilesPerTrigger", "maxBytesPerTrigger",
        "latestFirst", "maxFileAge", "fileNameOnly", "cleanSource", "sourceArchiveDir", "pathGlobFilter",
        "recursiveFileLookup", "listingInterval", "fileSettleTime");

    private Formats() {
    }

    /**
     * @param options the checked options
     * @return the {@code path} option as a path
     * @throws IllegalArgumentException Spark's {@code 'path' is not specified} if it is missing
     */
    static Path path(ProviderOptions options) {
        return Path.of(options.required("path", "'path' is not specified"));
    }

    /**
     * @param options the options, keys case-insensitive
     * @return the {@code path} option as a path
     * @throws IllegalArgumentException Spark's {@code 'path' is not specified} if it is missing
     */
    static Path path(Map<String, String> options) {
        String path = options.get("path");
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("'path' is not specified");
        }
        return Path.of(path);
    }

    /**
     * The system property that turns on schema inference for streaming file sources by default (Spark's session
     * setting {@code spark.sql.streaming.schemaInference}, default false): {@code -Drivulet.sql.streaming.schemaInference=true}.
     */
    static final String SCHEMA_INFERENCE_PROPERTY = "rivulet.sql.streaming.schemaInference";
    /** The reader option that turns it on or off for one read, over {@link #SCHEMA_INFERENCE_PROPERTY}. */
    static final String SCHEMA_INFERENCE_OPTION = "schemaInference";

    /** Spark's error for a streaming file source without a schema. */
    private static final String NO_SCHEMA = "Schema must be specified when creating a streaming source DataFrame. If"
        + " some files already exist in the directory, then depending on the file format you may be able to"
        + " create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.";

    /**
     * Whether a streaming file source without a schema infers one from the files present when it is built: the
     * {@link #SCHEMA_INFERENCE_OPTION} option if set, else the {@link #SCHEMA_INFERENCE_PROPERTY} system property.
     *
     * @param options the read's options, keys case-insensitive
     * @return whether to infer
     * @throws IllegalArgumentException Spark's error, naming both settings, if neither turns it on
     */
    static boolean requireSchemaInference(Map<String, String> options) {
        String option = options.get(SCHEMA_INFERENCE_OPTION);
        String setting = option != null ? option : System.getProperty(SCHEMA_INFERENCE_PROPERTY, "false");
        if (!Boolean.parseBoolean(setting.trim())) {
            throw new IllegalArgumentException(NO_SCHEMA + " (Rivulet: or infer it from the files present when the"
                + " DataFrame is built, Spark's spark.sql.streaming.schemaInference=true, with option(\"schemaInference\","
                + " true) on the reader or -D" + SCHEMA_INFERENCE_PROPERTY + "=true)");
        }
        return true;
    }

    /**
     * @param options the read's options, keys case-insensitive
     * @return the options a file format's rows read: all but {@code path} and {@link #SCHEMA_INFERENCE_OPTION},
     *     keys case-insensitive
     */
    static Map<String, String> fileOptions(Map<String, String> options) {
        Map<String, String> fileOptions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        fileOptions.putAll(options);
        fileOptions.remove("path");
        fileOptions.remove(SCHEMA_INFERENCE_OPTION);
        return fileOptions;
    }

    /**
     * The schema of a streaming file source: the one given, else one inferred from the files present now.
     *
     * @param userSchema the schema given, or {@code null}
     * @param options    the read's options, keys case-insensitive
     * @param infer      infers the schema from the files present
     * @return the schema
     * @throws IllegalArgumentException Spark's error ({@link #requireSchemaInference}) if no schema was given and
     *     inference is off
     */
    static StructType schemaOrInferred(StructType userSchema, Map<String, String> options, Supplier<StructType> infer) {
        if (userSchema != null) {
            return userSchema;
        }
        requireSchemaInference(options);
        return infer.get();
    }

    /**
     * @param format the format's name
     * @param userSchema the schema given, or {@code null}
     * @throws IllegalArgumentException Spark's error if a schema was given to a format with a fixed one
     */
    static void rejectSchema(String format, StructType userSchema) {
        if (userSchema != null) {
            throw new IllegalArgumentException("The " + format + " source does not support a user-specified schema.");
        }
    }

    /**
     * @param names option names
     * @param more more names
     * @return both, sorted case-insensitively
     */
    static Set<String> names(Set<String> names, String... more) {
        Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        all.addAll(names);
        all.addAll(Set.of(more));
        return all;
    }
}
