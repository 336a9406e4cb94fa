package io.rivulet.engine.sink;

import io.rivulet.operators.OutputMode;

/**
 * A sink that takes only some output modes implements this; the query is rejected at start when
 * the sink does not support its mode.
 */
public interface OutputModeAware {
    /**
     * @param mode an output mode
     * @return whether the sink can take it
     */
    boolean supports(OutputMode mode);
}
