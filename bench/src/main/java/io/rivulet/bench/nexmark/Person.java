package io.rivulet.bench.nexmark;

import java.util.Objects;

/**
 * A new person registering with the auction site.
 *
 * <p>Immutable and thread-safe; string components are never null (the constructor throws
 * {@link NullPointerException}).
 *
 * @param id           unique person id; the generator numbers people from
 *                     {@link NexmarkGenerator#FIRST_PERSON_ID} in order of appearance.
 * @param name         first and last name.
 * @param emailAddress email address.
 * @param creditCard   16 digits in four space-separated groups.
 * @param city         US city.
 * @param state        US state code.
 * @param dateTimeMs   registration time, epoch ms.
 * @param extra        padding up to the configured average size; may be empty.
 */
public record Person(
    long id,
    String name,
    String emailAddress,
    String creditCard,
    String city,
    String state,
    long dateTimeMs,
    String extra) implements NexmarkEvent {

    /**
     * Creates the event.
     *
     * @param id see the record component.
     * @param name see the record component.
     * @param emailAddress see the record component.
     * @param creditCard see the record component.
     * @param city see the record component.
     * @param state see the record component.
     * @param dateTimeMs see the record component.
     * @param extra see the record component.
     * @throws NullPointerException if a string component is null.
     */
    public Person {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(emailAddress, "emailAddress");
        Objects.requireNonNull(creditCard, "creditCard");
        Objects.requireNonNull(city, "city");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(extra, "extra");
    }

    /**
     * Always {@link EventKind#PERSON}.
     *
     * @return {@link EventKind#PERSON}.
     */
    @Override
    public EventKind kind() {
        return EventKind.PERSON;
    }
}
