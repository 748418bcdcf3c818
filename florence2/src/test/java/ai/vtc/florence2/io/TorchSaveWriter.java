package ai.vtc.florence2.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state_dict the way {@code torch.save} does (zip format, protocol-2 pickle, the opcodes PyTorch 1.13
 * emits): {@code archive/data.pkl} is an OrderedDict of {@code torch._utils._rebuild_tensor_v2(storage, offset,
 * shape, stride, False, OrderedDict())} calls whose storages are persistent ids {@code ('storage',
 * torch.HalfStorage, key, 'cpu', numel)}, and {@code archive/data/<key>} holds each storage's little-endian bytes.
 * For tests of the reader where no Python with torch is at hand.
 */
final class TorchSaveWriter {

    /** A tensor as a view into storage {@code key}: {@code shape} and {@code stride} in elements. */
    record View(String storageKey, long offset, long[] shape, long[] stride) {}

    /** One storage: its element type and little-endian bytes. */
    record Storage(DType dtype, byte[] bytes) {}

    private TorchSaveWriter() {}

    /** A contiguous tensor with its own storage, named after the tensor. */
    static View contiguous(String storageKey, long... shape) {
        long[] stride = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = step;
            step *= shape[d];
        }
        return new View(storageKey, 0, shape, stride);
    }

    static void write(Path file, Map<String, View> tensors, Map<String, Storage> storages) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            entry(zip, "archive/data.pkl", pickle(tensors, storages));
            for (Map.Entry<String, Storage> s : storages.entrySet()) {
                entry(zip, "archive/data/" + s.getKey(), s.getValue().bytes());
            }
            entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] pickle(Map<String, View> tensors, Map<String, Storage> storages) {
        Pickle p = new Pickle();
        p.op(0x80).op(2); // PROTO 2
        p.global("collections", "OrderedDict").op(')').op('R');
        p.op('(');
        for (Map.Entry<String, View> t : tensors.entrySet()) {
            View v = t.getValue();
            Storage s = storages.get(v.storageKey());
            p.string(t.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2").op('(');
            p.op('(').string("storage").global("torch", storageType(s.dtype())).string(v.storageKey());
            p.string("cpu")
                    .integer(s.bytes().length / s.dtype().bytes())
                    .op('t')
                    .op('Q'); // BINPERSID
            p.integer(v.offset()).tuple(v.shape()).tuple(v.stride()).op(0x89); // requires_grad False
            p.global("collections", "OrderedDict").op(')').op('R'); // backward hooks
            p.op('t').op('R');
        }
        p.op('u').op('.'); // SETITEMS, STOP
        return p.out.toByteArray();
    }

    private static String storageType(DType dtype) {
        return switch (dtype) {
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case F32 -> "FloatStorage";
            case I64 -> "LongStorage";
            default -> throw new IllegalArgumentException("no storage type for " + dtype + " in this writer");
        };
    }

    /** The few pickle opcodes a state_dict needs. */
    private static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle op(int code) {
            out.write(code);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle string(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            op('X').int32(utf8.length);
            out.writeBytes(utf8);
            return this;
        }

        Pickle integer(long value) {
            // BININT: the sizes, strides and offsets of small tensors fit
            return op('J').int32(Math.toIntExact(value));
        }

        Pickle tuple(long[] values) {
            op('(');
            for (long v : values) {
                integer(v);
            }
            return op('t');
        }

        private Pickle int32(int value) {
            for (int i = 0; i < 4; i++) {
                out.write((value >>> (8 * i)) & 0xff);
            }
            return this;
        }
    }
}
