package io.rivulet.operators.function;

/**
 * Rethrows a user function's checked exception unchanged, so that the query fails with the
 * user's own exception as its cause rather than a wrapper. The one idiom around a user call whose
 * caller declares no checked exception: {@code catch (Exception e) { throw Sneaky.rethrow(e); }}; a
 * {@link RuntimeException} passes through it unchanged, and an {@link Error} is not caught.
 */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} without declaring it.
     *
     * @param t the throwable to rethrow
     * @param <E> inferred as an unchecked type
     * @return never returns; declared so callers can write {@code throw Sneaky.rethrow(e)}
     * @throws E always
     */
    @SuppressWarnings("unchecked")
    public static <E extends Throwable> RuntimeException rethrow(Throwable t) throws E {
        throw (E) t;
    }
}
