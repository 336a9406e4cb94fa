package io.rivulet.kafka.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spark's JSON forms of Kafka partitions and offsets: {@code {"topicA":[0,1]}} for {@code assign},
 * {@code {"topicA":{"0":23,"1":-2}}} for {@code startingOffsets}/{@code endingOffsets} (-2 = earliest,
 * -1 = latest). Stateless.
 */
public final class PartitionOffsets {
    /** Spark's code for "earliest" in offset JSON. */
    public static final long EARLIEST = -2;
    /** Spark's code for "latest" in offset JSON. */
    public static final long LATEST = -1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PartitionOffsets() {
    }

    /**
     * @param option the option's name, for errors
     * @param json e.g. {@code {"topicA":[0,1],"topicB":[2]}}
     * @return the partitions, in the JSON's order
     * @throws IllegalArgumentException naming {@code option} if the JSON is not of that form
     */
    public static List<TopicPartition> partitions(String option, String json) {
        List<TopicPartition> partitions = new ArrayList<>();
        JsonNode root = parse(option, json, "{\"topicA\":[0,1],\"topicB\":[2,4]}");
        for (Map.Entry<String, JsonNode> topic : root.properties()) {
            if (!topic.getValue().isArray()) {
                throw bad(option, json, "{\"topicA\":[0,1],\"topicB\":[2,4]}");
            }
            for (JsonNode partition : topic.getValue()) {
                if (!partition.canConvertToInt() || partition.asInt() < 0) {
                    throw bad(option, json, "{\"topicA\":[0,1],\"topicB\":[2,4]}");
                }
                partitions.add(new TopicPartition(topic.getKey(), partition.asInt()));
            }
        }
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("option '" + option + "' names no partition: " + json);
        }
        return partitions;
    }

    /**
     * @param option the option's name, for errors
     * @param json e.g. {@code {"topicA":{"0":23,"1":-1}}}
     * @param allowLatest whether -1 (latest) is allowed
     * @param allowEarliest whether -2 (earliest) is allowed
     * @return offset per partition
     * @throws IllegalArgumentException naming {@code option} if the JSON is not of that form
     */
    public static Map<TopicPartition, Long> offsets(String option, String json, boolean allowLatest, boolean allowEarliest) {
        String example = "{\"topicA\":{\"0\":23,\"1\":-1},\"topicB\":{\"0\":-2}}";
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        JsonNode root = parse(option, json, example);
        for (Map.Entry<String, JsonNode> topic : root.properties()) {
            if (!topic.getValue().isObject()) {
                throw bad(option, json, example);
            }
            for (Map.Entry<String, JsonNode> partition : topic.getValue().properties()) {
                int p;
                try {
                    p = Integer.parseInt(partition.getKey());
                } catch (NumberFormatException e) {
                    throw bad(option, json, example);
                }
                if (p < 0 || !partition.getValue().canConvertToLong()) {
                    throw bad(option, json, example);
                }
                long offset = partition.getValue().asLong();
                if (offset == LATEST && !allowLatest) {
                    throw new IllegalArgumentException("option '" + option + "': latest (-1) is not allowed for "
                        + topic.getKey() + "-" + p + " in " + json);
                }
                if (offset == EARLIEST && !allowEarliest) {
                    throw new IllegalArgumentException("option '" + option + "': earliest (-2) is not allowed for "
                        + topic.getKey() + "-" + p + " in " + json);
                }
                if (offset < EARLIEST) {
                    throw new IllegalArgumentException("option '" + option + "': offset " + offset + " of " + topic.getKey()
                        + "-" + p + " must be at least 0, or -1 (latest) or -2 (earliest)");
                }
                offsets.put(new TopicPartition(topic.getKey(), p), offset);
            }
        }
        return offsets;
    }

    private static JsonNode parse(String option, String json, String example) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw bad(option, json, example);
            }
            return root;
        } catch (IOException e) {
            throw bad(option, json, example);
        }
    }

    private static IllegalArgumentException bad(String option, String json, String example) {
        return new IllegalArgumentException("option '" + option + "' must be JSON such as " + example + ", got " + json);
    }
}
