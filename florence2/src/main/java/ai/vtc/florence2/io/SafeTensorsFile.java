package ai.vtc.florence2.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of the safetensors format: 8-byte little-endian header length, a JSON header {@code {name: {dtype, shape,
 * data_offsets}}}, then the raw little-endian data. Tensors are memory-mapped; float32 tensors are handed out without
 * a copy, F16/BF16/F64 are widened into a reused direct buffer. The header is checked whole before any tensor is
 * read (see {@link #MAX_HEADER_BYTES} and {@code readHeader}), so a hostile file is refused with the reason instead of
 * mapping or allocating what it claims.
 */
public final class SafeTensorsFile implements TensorSource {

    /**
     * Largest JSON header read, in bytes. A header lists names, shapes and offsets only (Florence-2-large: about 150
     * KB), so this bounds the memory a hostile header can take long before the format's own 100 MB limit.
     */
    public static final long MAX_HEADER_BYTES = 16L << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Info> infos = new LinkedHashMap<>();
    private final Map<String, long[]> offsets = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private ByteBuffer scratch;

    private SafeTensorsFile(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength <= 0 || headerLength > channel.size() - 8) {
                throw new IOException("not a safetensors file (header length " + headerLength + " in a file of "
                        + channel.size() + " bytes)");
            }
            if (headerLength > MAX_HEADER_BYTES) {
                throw new IOException("the header has " + headerLength + " bytes; at most " + MAX_HEADER_BYTES
                        + " are read (a real model's header has a few hundred kilobytes)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(header, 8);
            this.dataStart = 8 + headerLength;
            readHeader(JSON.readTree(header.array()), channel.size() - dataStart);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Checks every entry before any tensor is read: a dtype this reader knows, non-negative dimensions whose product
     * (in bytes) fits in a long, data offsets {@code [begin, end)} inside the data section that hold exactly that
     * many bytes, and no two tensors sharing a byte.
     */
    private void readHeader(JsonNode root, long dataBytes) throws IOException {
        if (root == null || !root.isObject()) {
            throw new IOException("the header is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String name = e.getKey();
            JsonNode node = e.getValue();
            JsonNode shapeNode = node.get("shape");
            JsonNode offsetsNode = node.get("data_offsets");
            if (!node.isObject()
                    || !node.path("dtype").isTextual()
                    || shapeNode == null
                    || !shapeNode.isArray()
                    || offsetsNode == null
                    || !offsetsNode.isArray()
                    || offsetsNode.size() != 2) {
                throw new IOException("tensor " + name + " needs dtype, shape and two data_offsets");
            }
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = integer(shapeNode.get(i), name, "shape");
                if (shape[i] < 0) {
                    throw new IOException("tensor " + name + " has a negative dimension " + Arrays.toString(shape));
                }
            }
            DType dtype;
            try {
                dtype = DType.fromSafetensors(node.get("dtype").asText());
            } catch (IllegalArgumentException unknown) {
                throw new IOException("tensor " + name + ": " + unknown.getMessage());
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(Info.checkedNumel(shape), dtype.bytes());
            } catch (ArithmeticException overflow) {
                throw new IOException("tensor " + name + " has shape " + Arrays.toString(shape)
                        + ", whose size overflows a 64-bit count");
            }
            long begin = integer(offsetsNode.get(0), name, "data_offsets");
            long end = integer(offsetsNode.get(1), name, "data_offsets");
            if (begin < 0 || end < begin || end > dataBytes) {
                throw new IOException("tensor " + name + " has data offsets [" + begin + ", " + end
                        + ") outside the data section of " + dataBytes + " bytes");
            }
            if (end - begin != bytes) {
                throw new IOException("tensor " + name + " has data offsets [" + begin + ", " + end + ") for " + bytes
                        + " bytes of " + dtype + Arrays.toString(shape));
            }
            infos.put(name, new Info(dtype, shape));
            offsets.put(name, new long[] {begin, end});
        }
        checkDisjoint();
    }

    private void checkDisjoint() throws IOException {
        List<Map.Entry<String, long[]>> byBegin = new ArrayList<>(offsets.entrySet());
        byBegin.sort(Comparator.comparingLong(e -> e.getValue()[0]));
        for (int i = 1; i < byBegin.size(); i++) {
            Map.Entry<String, long[]> previous = byBegin.get(i - 1);
            Map.Entry<String, long[]> next = byBegin.get(i);
            if (next.getValue()[0] < previous.getValue()[1]) {
                throw new IOException(
                        "tensors " + previous.getKey() + " and " + next.getKey() + " overlap in the data section");
            }
        }
    }

    private static long integer(JsonNode value, String tensor, String field) throws IOException {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IOException("tensor " + tensor + ": " + field + " must hold 64-bit integers, found " + value);
        }
        return value.longValue();
    }

    public static SafeTensorsFile open(Path path) {
        try {
            return new SafeTensorsFile(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Info> tensors() {
        return Collections.unmodifiableMap(infos);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    @Override
    public String describe() {
        return path.toString();
    }

    /** The raw little-endian bytes of one tensor (memory-mapped). */
    public ByteBuffer raw(String name) {
        long[] range = offsets.get(name);
        if (range == null) {
            throw new IllegalArgumentException(path + " has no tensor " + name);
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + range[0], range[1] - range[0])
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public ByteBuffer readFloat32(String name) {
        Info info = infos.get(name);
        ByteBuffer raw = raw(name);
        if (info.dtype() == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return raw;
        }
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
        ByteBuffer raw = raw(name);
        long[] out = new long[Math.toIntExact(info.numel())];
        for (int i = 0; i < out.length; i++) {
            int at = i * info.dtype().bytes();
            out[i] = switch (info.dtype()) {
                case I64 -> raw.getLong(at);
                case I32 -> raw.getInt(at);
                case I16 -> raw.getShort(at);
                case I8 -> raw.get(at);
                case U8, BOOL -> raw.get(at) & 0xff;
                default -> throw new IllegalArgumentException(name + " is " + info.dtype() + ", not an integer tensor");
            };
        }
        return out;
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException(path + " is truncated");
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
