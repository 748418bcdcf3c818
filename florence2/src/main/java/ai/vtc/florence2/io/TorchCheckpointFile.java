package ai.vtc.florence2.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reader of a {@code torch.save}d state_dict ({@code pytorch_model.bin}, the zip format of PyTorch >= 1.6): {@code
 * <root>/data.pkl} is a pickle of an OrderedDict name -> tensor, where each tensor is a {@code
 * torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} call and each storage a persistent id {@code
 * ('storage', torch.FloatStorage, key, location, numel)} whose bytes are the zip entry {@code <root>/data/<key>}.
 *
 * <p>Written by hand because no maintained Java library reads this format: DJL only loads TorchScript archives, and
 * the JVM pickle libraries (e.g. Pyrolite) do not resolve PyTorch's persistent storages. No Python code is executed;
 * only the globals a state_dict needs are understood.
 *
 * <p>What a file declares is checked before it is believed, so a hostile file is refused with the reason in bounded
 * time and memory: {@code data.pkl} is read up to {@link #MAX_PICKLE_BYTES} (whatever its entry claims, so a zip bomb
 * stops there) by a {@link PickleReader} with its own limits; a storage's zip entry must hold exactly the bytes its
 * element count and type say (read no further), and a tensor must lie inside its storage with no more elements than
 * the storage has (a view that repeats a few stored elements into gigabytes is refused).
 */
public final class TorchCheckpointFile implements TensorSource {

    /** Largest {@code data.pkl} read: names, shapes and storage keys only (Florence-2-large: about 100 KB). */
    public static final int MAX_PICKLE_BYTES = 16 << 20;

    /** A storage reference: element type, zip key, element count. */
    private record Storage(DType dtype, String key, long numel) {}

    /** A tensor view into a storage. */
    private record TensorRef(Storage storage, long offset, long[] shape, long[] stride) {}

    private static final Map<String, DType> STORAGE_TYPES = Map.ofEntries(
            Map.entry("FloatStorage", DType.F32),
            Map.entry("HalfStorage", DType.F16),
            Map.entry("BFloat16Storage", DType.BF16),
            Map.entry("DoubleStorage", DType.F64),
            Map.entry("LongStorage", DType.I64),
            Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16),
            Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8),
            Map.entry("BoolStorage", DType.BOOL));

    private final Path path;
    private final ZipFile zip;
    private String root;
    private final Map<String, TensorRef> refs = new LinkedHashMap<>();
    private final Map<String, Info> infos = new LinkedHashMap<>();
    private ByteBuffer scratch;

    private TorchCheckpointFile(Path path) throws IOException {
        this.path = path;
        this.zip = new ZipFile(path.toFile());
        try {
            readIndex();
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private void readIndex() throws IOException {
        String pkl = null;
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                pkl = name;
            }
        }
        if (pkl == null) {
            throw new IOException(path + " has no <root>/data.pkl (is it a legacy, non-zip torch.save file?)");
        }
        root = pkl.substring(0, pkl.length() - "data.pkl".length());
        Object state;
        try {
            state = new PickleReader(
                            readEntry(pkl, MAX_PICKLE_BYTES), TorchCheckpointFile::reduce, TorchCheckpointFile::storage)
                    .load();
        } catch (IllegalArgumentException | ClassCastException | IndexOutOfBoundsException e) {
            throw new IOException("data.pkl is not a state_dict pickle: " + e.getMessage());
        }
        if (!(state instanceof Map<?, ?> map)) {
            throw new IOException(path + " does not hold a state_dict (a dict of tensors)");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() instanceof TensorRef ref) {
                String name = String.valueOf(e.getKey());
                checkView(name, ref);
                refs.put(name, ref);
                infos.put(name, new Info(ref.storage().dtype(), ref.shape()));
            }
        }
    }

    /**
     * A tensor must address only elements of its storage, and no more of them than the storage holds: the
     * storage's bytes are checked against its zip entry when read, so this bounds every tensor by the file's size.
     */
    private void checkView(String name, TensorRef ref) throws IOException {
        long[] shape = ref.shape();
        long[] stride = ref.stride();
        if (shape.length != stride.length) {
            throw new IOException(
                    "tensor " + name + " has " + shape.length + " dimensions but " + stride.length + " strides");
        }
        long storage = ref.storage().numel();
        try {
            long numel = Info.checkedNumel(shape);
            long last = ref.offset();
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] < 0 || stride[d] < 0) {
                    throw new IOException("tensor " + name + " has a negative size or stride: size "
                            + Arrays.toString(shape) + ", stride " + Arrays.toString(stride));
                }
                if (shape[d] > 0) {
                    last = Math.addExact(last, Math.multiplyExact(shape[d] - 1, stride[d]));
                }
            }
            if (ref.offset() < 0 || (numel > 0 && last >= storage) || numel > storage) {
                throw new IOException("tensor " + name + " (size " + Arrays.toString(shape) + ", stride "
                        + Arrays.toString(stride) + ", offset " + ref.offset() + ") does not fit its storage of "
                        + storage + " elements");
            }
        } catch (ArithmeticException overflow) {
            throw new IOException("tensor " + name + " has size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + ", whose extent overflows a 64-bit count");
        }
    }

    public static TorchCheckpointFile open(Path path) {
        try {
            return new TorchCheckpointFile(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static Object reduce(PickleReader.Global global, List<Object> args) {
        String name = global.toString();
        return switch (name) {
            case "collections.OrderedDict" -> new LinkedHashMap<>();
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" ->
                new TensorRef((Storage) args.get(0), asLong(args.get(1)), longs(args.get(2)), longs(args.get(3)));
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> args.get(0);
            default -> new PickleReader.Call(global, args);
        };
    }

    private static Object storage(Object pid) {
        List<?> tuple = (List<?>) pid;
        if (tuple.size() != 5 || !"storage".equals(tuple.get(0))) {
            throw new IllegalArgumentException("unsupported persistent id (a " + PickleReader.describe(pid)
                    + " that is not ('storage', type, key, location, numel))");
        }
        String type = ((PickleReader.Global) tuple.get(1)).name();
        DType dtype = STORAGE_TYPES.get(type);
        if (dtype == null) {
            throw new IllegalArgumentException("unsupported storage type " + type);
        }
        long numel = asLong(tuple.get(4));
        if (numel < 0 || numel > Integer.MAX_VALUE / dtype.bytes()) {
            throw new IllegalArgumentException("a storage of " + numel + " " + dtype
                    + " elements; one storage is read into one Java array of at most 2 GB");
        }
        if (!(tuple.get(2) instanceof String key) || !key.matches("[A-Za-z0-9_.]{1,64}")) {
            throw new IllegalArgumentException("a storage key that is not a short name");
        }
        return new Storage(dtype, key, numel);
    }

    private static long asLong(Object o) {
        return ((Number) o).longValue();
    }

    private static long[] longs(Object o) {
        List<?> list = (List<?>) o;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = asLong(list.get(i));
        }
        return out;
    }

    /** At most {@code limit} bytes of an entry, whatever size it declares; more is an error. */
    private byte[] readEntry(String name, int limit) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(path + " has no entry " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(limit);
            if (in.read() >= 0) {
                throw new IOException(name + " holds more than " + limit + " bytes");
            }
            return bytes;
        }
    }

    /** A storage's bytes: exactly its element count times its element size. */
    private byte[] readStorage(Storage storage) throws IOException {
        int expected = Math.toIntExact(storage.numel() * storage.dtype().bytes());
        String name = root + "data/" + storage.key();
        byte[] bytes = readEntry(name, expected);
        if (bytes.length != expected) {
            throw new IOException(name + " holds " + bytes.length + " bytes, not the " + expected + " of "
                    + storage.numel() + " " + storage.dtype() + " elements");
        }
        return bytes;
    }

    @Override
    public Map<String, Info> tensors() {
        return Collections.unmodifiableMap(infos);
    }

    @Override
    public String describe() {
        return path.toString();
    }

    /** The tensor's elements in row-major order as little-endian bytes of its own dtype. */
    private ByteBuffer elements(String name) {
        TensorRef ref = refs.get(name);
        if (ref == null) {
            throw new IllegalArgumentException(path + " has no tensor " + name);
        }
        byte[] storage;
        try {
            storage = readStorage(ref.storage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        int size = ref.storage().dtype().bytes();
        ByteBuffer all = ByteBuffer.wrap(storage).order(ByteOrder.LITTLE_ENDIAN);
        long numel = new Info(ref.storage().dtype(), ref.shape()).numel();
        if (isContiguous(ref)) {
            return all.position(Math.toIntExact(ref.offset() * size))
                    .limit(Math.toIntExact((ref.offset() + numel) * size))
                    .slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(numel * size)).order(ByteOrder.LITTLE_ENDIAN);
        long[] index = new long[ref.shape().length];
        for (long i = 0; i < numel; i++) {
            long at = ref.offset();
            for (int d = 0; d < index.length; d++) {
                at += index[d] * ref.stride()[d];
            }
            out.put(storage, Math.toIntExact(at * size), size);
            for (int d = index.length - 1; d >= 0 && ++index[d] == ref.shape()[d]; d--) {
                index[d] = 0;
            }
        }
        return out.flip();
    }

    private static boolean isContiguous(TensorRef ref) {
        long expected = 1;
        for (int d = ref.shape().length - 1; d >= 0; d--) {
            if (ref.shape()[d] != 1 && ref.stride()[d] != expected) {
                return false;
            }
            expected *= ref.shape()[d];
        }
        return true;
    }

    @Override
    public ByteBuffer readFloat32(String name) {
        Info info = infos.get(name);
        ByteBuffer raw = elements(name);
        long bytes = info.numel() * 4;
        if (scratch == null || scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }
        scratch.clear();
        info.dtype().toFloat32(raw, scratch, info.numel());
        scratch.flip();
        return scratch;
    }

    @Override
    public long[] readLongs(String name) {
        Info info = infos.get(name);
        ByteBuffer raw = elements(name);
        long[] out = new long[Math.toIntExact(info.numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> raw.getLong(i * 8);
                case I32 -> raw.getInt(i * 4);
                default -> throw new IllegalArgumentException(name + " is " + info.dtype() + ", not I64/I32");
            };
        }
        return out;
    }

    @Override
    public void close() {
        try {
            zip.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
