package io.rivulet.operators.join;

import java.util.List;
import java.util.Objects;

/**
 * What a stream-stream join buffers for one key, as read through queryable state: copies of the
 * left and right rows held, each list in arrival order.
 *
 * @param left the left rows held (immutable); empty if none
 * @param right the right rows held (immutable); empty if none
 * @param <L> left row type
 * @param <R> right row type
 */
public record JoinBuffers<L, R>(List<L> left, List<R> right) {
    /**
     * @param left the left rows; copied
     * @param right the right rows; copied
     */
    public JoinBuffers {
        left = List.copyOf(Objects.requireNonNull(left, "left"));
        right = List.copyOf(Objects.requireNonNull(right, "right"));
    }
}
