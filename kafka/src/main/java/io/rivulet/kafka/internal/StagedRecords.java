package io.rivulet.kafka.internal;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The file layout of an epoch's staged Kafka records: per record the topic, the partition (-1: the
 * producer's partitioner), the timestamp (-1: none), key and value (-1 length: null) and the headers.
 * {@link Writer} appends and closes the file (its bytes then in the operating system's page cache, readable
 * by {@link #read} at once); {@link #force} makes a closed file, or the directory holding its name, durable.
 * Stateless.
 */
final class StagedRecords {
    private static final int MAGIC = 0x524b5331;

    /** Makes a staged file or the staging directory durable; a seam so that tests can count the forces. */
    @FunctionalInterface
    interface Force {
        /** {@link StagedRecords#force}. */
        Force DISK = StagedRecords::force;

        /**
         * @param path a closed staged file, or the staging directory
         * @throws IOException if it cannot be forced to disk
         */
        void force(Path path) throws IOException;
    }

    private StagedRecords() {
    }

    /**
     * Forces a closed staged file's bytes, or a directory's entries (its files' names: their creation and
     * renames), to disk, through a descriptor of its own: an fsync writes back every dirty page of the file,
     * whichever descriptor wrote it. A directory that cannot be opened on Windows is skipped (its renames are
     * still atomic there), as the file sink's.
     *
     * @param path a file or a directory
     * @throws IOException if it cannot be opened or forced
     */
    static void force(Path path) throws IOException {
        boolean directory = Files.isDirectory(path);
        try (FileChannel channel = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            if (!directory || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win")) {
                throw e;
            }
        }
    }

    /** Appends records to one staging file. Not thread-safe; owned by a sink writer's thread. */
    static final class Writer implements AutoCloseable {
        private final DataOutputStream out;

        Writer(Path file) throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024));
            out.writeInt(MAGIC);
        }

        void append(ProducerRecord<byte[], byte[]> record) throws IOException {
            out.writeUTF(record.topic());
            out.writeInt(record.partition() == null ? -1 : record.partition());
            out.writeLong(record.timestamp() == null ? -1 : record.timestamp());
            writeBytes(out, record.key());
            writeBytes(out, record.value());
            Header[] headers = record.headers().toArray();
            out.writeInt(headers.length);
            for (Header header : headers) {
                out.writeUTF(header.key());
                writeBytes(out, header.value());
            }
        }

        /**
         * Writes the buffered records to the file and closes it: they are in the operating system's page
         * cache, readable and surviving this process's death, but not an operating-system crash until the file
         * is {@linkplain StagedRecords#force forced}.
         */
        @Override
        public void close() throws IOException {
            out.close();
        }

        private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
            if (bytes == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Replays a staging file from its {@code skip}-th record on.
     *
     * @param file a file a {@link Writer} closed
     * @param skip how many records from the start not to replay (sent already)
     * @param sink receives each record after the skipped ones, in order
     * @throws IOException if the file cannot be read, is not a staging file, or holds fewer than {@code skip} records
     */
    static void read(Path file, int skip, Consumer<ProducerRecord<byte[], byte[]>> sink) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 64 * 1024))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a Kafka sink staging file");
            }
            for (int index = 0; ; index++) {
                String topic;
                try {
                    topic = in.readUTF();
                } catch (EOFException end) {
                    if (index < skip) {
                        throw new IOException(file + " holds " + index + " records, fewer than the " + skip + " sent already");
                    }
                    return;
                }
                int partition = in.readInt();
                long timestamp = in.readLong();
                byte[] key = readBytes(in);
                byte[] value = readBytes(in);
                int count = in.readInt();
                List<Header> headers = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
                }
                if (index < skip) {
                    continue;
                }
                sink.accept(new ProducerRecord<>(topic, partition < 0 ? null : partition, timestamp < 0 ? null : timestamp,
                    key, value, headers));
            }
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
