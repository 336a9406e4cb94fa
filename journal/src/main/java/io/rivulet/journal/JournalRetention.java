package io.rivulet.journal;

/**
 * What a journal deletes.
 */
public enum JournalRetention {
    /** Keep every cycle file. The default. */
    KEEP_ALL,
    /**
     * Delete each whole cycle file that every named reader (open or not, in any process: their
     * committed offsets are files in the journal directory) and the last checkpoint have passed.
     * The cycle being written is never deleted, and nothing is deleted while no named reader and no
     * checkpoint exist: no one has said they are done with anything. Unnamed readers hold nothing
     * back. Runs when the journal releases a cycle file (after a roll), when a named reader
     * commits, on {@link Journal#checkpoint} and on {@link Journal#applyRetention}.
     */
    DELETE_CONSUMED
}
