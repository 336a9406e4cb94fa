/**
 * Record-at-a-time transformations without state: map, filter, flat-map. The runtime fuses a run
 * of them into the thread that produces their input, so a record passes through them as plain
 * method calls.
 */
package io.rivulet.operators.stateless;
