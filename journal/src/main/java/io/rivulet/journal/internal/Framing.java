package io.rivulet.journal.internal;

import net.openhft.chronicle.bytes.BytesStore;

/**
 * The journal's record framing inside a Chronicle document, and the checksum that guards it.
 *
 * <pre>
 *   Chronicle header (4 bytes: length, ready/metadata bits)
 *   ├─ data document:     [checksum: int32][codec payload ...]                      (plain record)
 *   ├─ data document:     [checksum: int32][epoch: int64][codec payload ...]        (epoch-committed record)
 *   ├─ metadata document: [END_MARKER_MAGIC: int64][END_MARKER_MAGIC ^ -1: int64]   (end of journal)
 *   └─ metadata document: [kind magic: int64][value: int64][magic ^ value ^ -1: int64]   (control marker:
 *                         COMMIT_MAGIC epoch, RECOVER_MAGIC epoch, LAYOUT_MAGIC last plain offset)
 * </pre>
 *
 * <p>In an epoch-committed journal every record after the layout switch carries the epoch it
 * belongs to ({@link #IMMEDIATE_EPOCH} for a record committed as it is appended), covered by the
 * checksum; the control markers say which epochs are committed (see {@code Journal}).
 *
 * <p>The checksum is the low 32 bits of xxHash64 (seed 0) over the payload. Chronicle sets a
 * document's ready bit only after its bytes are written, so a writer killed mid-record leaves a
 * header that is never ready, which readers do not return; the checksum catches what that does not
 * cover: bytes damaged on disk, pages lost in an OS crash, a header whose length was mangled.
 *
 * <p>Stateless; thread-safe. Allocates nothing.
 */
public final class Framing {
    /** Bytes of framing in front of every data payload. */
    public static final int HEADER_LENGTH = 4;
    /** First word of the end-of-journal metadata document ("RIVJEND" + version 1). */
    public static final long END_MARKER_MAGIC = 0x524956_4A454E44_01L;
    /** Length of the end-of-journal metadata document's body. */
    public static final int END_MARKER_LENGTH = 16;
    /** Bytes of the epoch tag after the checksum of a record in an epoch-committed journal. */
    public static final int EPOCH_TAG_LENGTH = 8;
    /** The epoch tag of a record that is committed as it is appended (an at-least-once writer). */
    public static final long IMMEDIATE_EPOCH = Long.MIN_VALUE;
    /** Length of a control marker's body. */
    public static final int CONTROL_MARKER_LENGTH = 24;
    /** Control marker: every record of the current run tagged with an epoch up to the value is committed ("RIVJCMT" + 1). */
    public static final long COMMIT_MAGIC = 0x524956_4A434D54_01L;
    /**
     * Control marker: the previous run ends; its records tagged up to the value are committed, the
     * rest are aborted; a new run starts ("RIVJRCV" + 1).
     */
    public static final long RECOVER_MAGIC = 0x524956_4A524356_01L;
    /** Control marker: records after the offset in the value carry an epoch tag ("RIVJLAY" + 1). */
    public static final long LAYOUT_MAGIC = 0x524956_4A4C4159_01L;

    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private Framing() {
    }

    /**
     * The framing checksum of {@code length} bytes starting at absolute {@code offset}.
     *
     * @param bytes where the payload lies
     * @param offset absolute offset of the payload's first byte
     * @param length payload length in bytes, 0 or more
     * @return the low 32 bits of the payload's xxHash64
     */
    public static int checksum(BytesStore<?, ?> bytes, long offset, long length) {
        return (int) xxHash64(bytes, offset, length);
    }

    /**
     * xxHash64 with seed 0 (the reference algorithm by Yann Collet), reading little-endian words at
     * absolute offsets.
     *
     * @param bytes where the input lies
     * @param offset absolute offset of the first byte
     * @param length input length in bytes
     * @return the 64-bit hash
     */
    public static long xxHash64(BytesStore<?, ?> bytes, long offset, long length) {
        long p = offset;
        long end = offset + length;
        long h;
        if (length >= 32) {
            long v1 = P1 + P2;
            long v2 = P2;
            long v3 = 0;
            long v4 = -P1;
            long limit = end - 32;
            do {
                v1 = round(v1, bytes.readLong(p));
                v2 = round(v2, bytes.readLong(p + 8));
                v3 = round(v3, bytes.readLong(p + 16));
                v4 = round(v4, bytes.readLong(p + 24));
                p += 32;
            } while (p <= limit);
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = mergeRound(h, v1);
            h = mergeRound(h, v2);
            h = mergeRound(h, v3);
            h = mergeRound(h, v4);
        } else {
            h = P5;
        }
        h += length;
        while (p + 8 <= end) {
            h ^= round(0, bytes.readLong(p));
            h = Long.rotateLeft(h, 27) * P1 + P4;
            p += 8;
        }
        if (p + 4 <= end) {
            h ^= (bytes.readInt(p) & 0xFFFF_FFFFL) * P1;
            h = Long.rotateLeft(h, 23) * P2 + P3;
            p += 4;
        }
        while (p < end) {
            h ^= (bytes.readByte(p) & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
            p++;
        }
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h;
    }

    /**
     * The kind of control marker in a metadata document's body, if it is one.
     *
     * @param bytes the document's bytes
     * @param position where the body starts
     * @param length the body's length in bytes
     * @return {@link #COMMIT_MAGIC}, {@link #RECOVER_MAGIC}, {@link #LAYOUT_MAGIC}, or 0 if the
     *     document is no intact control marker
     */
    public static long controlKind(BytesStore<?, ?> bytes, long position, long length) {
        if (length != CONTROL_MARKER_LENGTH) {
            return 0;
        }
        long magic = bytes.readLong(position);
        if (magic != COMMIT_MAGIC && magic != RECOVER_MAGIC && magic != LAYOUT_MAGIC) {
            return 0;
        }
        return bytes.readLong(position + 16) == ~(magic ^ bytes.readLong(position + 8)) ? magic : 0;
    }

    /**
     * @param bytes a control marker's bytes
     * @param position where its body starts
     * @return its value
     */
    public static long controlValue(BytesStore<?, ?> bytes, long position) {
        return bytes.readLong(position + 8);
    }

    private static long round(long acc, long input) {
        acc += input * P2;
        acc = Long.rotateLeft(acc, 31);
        return acc * P1;
    }

    private static long mergeRound(long acc, long val) {
        acc ^= round(0, val);
        return acc * P1 + P4;
    }
}
