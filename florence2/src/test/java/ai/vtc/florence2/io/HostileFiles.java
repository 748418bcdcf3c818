package ai.vtc.florence2.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Builds checkpoint files byte by byte, as a hostile or broken writer could: safetensors and torch.save zips. */
final class HostileFiles {
    private HostileFiles() {}

    /** A safetensors file with this JSON header (not checked) and {@code dataBytes} zero bytes of data. */
    static Path safetensors(Path dir, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        Path file = dir.resolve("model.safetensors");
        Files.write(file, out.array());
        return file;
    }

    /** The opcodes of a pickle, written by hand (protocol 2). */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle() {
            op(0x80).op(2); // PROTO 2
        }

        Pickle op(int opcode) {
            out.write(opcode);
            return this;
        }

        Pickle string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            op(0x8c).op(bytes.length); // SHORT_BINUNICODE
            out.writeBytes(bytes);
            return this;
        }

        Pickle integer(int value) {
            op('J'); // BININT, little-endian
            out.writeBytes(ByteBuffer.allocate(4)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(value)
                    .array());
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle tuple(int... values) {
            op('(');
            for (int v : values) {
                integer(v);
            }
            return op('t');
        }

        /** {@code torch._utils._rebuild_tensor_v2(('storage', FloatStorage, key, 'cpu', numel), offset, size, stride)}. */
        Pickle tensor(String key, int storageNumel, int offset, int[] size, int[] stride) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').string("storage")
                    .global("torch", "FloatStorage")
                    .string(key)
                    .string("cpu");
            integer(storageNumel).op('t').op('Q'); // BINPERSID
            integer(offset).tuple(size).tuple(stride);
            return op('t').op('R');
        }

        Pickle raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A state_dict pickle {name: float tensor of {@code numel} elements in storage "0"}. */
    static byte[] stateDict(String name, int numel) {
        return new Pickle()
                .op('}')
                .op('(')
                .string(name)
                .tensor("0", numel, 0, new int[] {numel}, new int[] {1})
                .op('u')
                .op('.')
                .bytes();
    }

    /** A torch.save zip: {@code archive/data.pkl} and {@code archive/data/0}, each stored or deflated. */
    static Path torchZip(Path dir, byte[] pickle, boolean deflatePickle, ZeroEntry storage) throws IOException {
        Path file = dir.resolve("pytorch_model.bin");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            put(zip, "archive/data.pkl", pickle, deflatePickle);
            if (storage != null) {
                ZipEntry entry = new ZipEntry("archive/data/0");
                entry.setMethod(ZipEntry.DEFLATED);
                zip.putNextEntry(entry);
                storage.writeTo(zip);
                zip.closeEntry();
            }
        }
        return file;
    }

    /** {@code bytes} zero bytes, written in pieces so that a bomb never sits in memory whole. */
    record ZeroEntry(long bytes) {
        void writeTo(OutputStream out) throws IOException {
            byte[] chunk = new byte[1 << 16];
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data, boolean deflate) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (!deflate) {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
