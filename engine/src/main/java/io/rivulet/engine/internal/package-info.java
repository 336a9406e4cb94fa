/**
 * Helpers shared by the engine's packages; not public API and may change without notice.
 */
package io.rivulet.engine.internal;
