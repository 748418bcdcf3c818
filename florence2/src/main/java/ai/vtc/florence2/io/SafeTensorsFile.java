package ai.vtc.florence2.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader of the safetensors format: 8-byte little-endian header length, a JSON header {@code {name: {dtype, shape,
 * data_offsets}}}, then the raw little-endian data. Tensors are memory-mapped; float32 tensors are handed out without
 * a copy, F16/BF16/F64 are widened into a reused direct buffer.
 */
public final class SafeTensorsFile implements TensorSource {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(lengthBytes, 0);
        long headerLength = lengthBytes.getLong(0);
        if (headerLength <= 0 || headerLength > channel.size() - 8 || headerLength > 100_000_000) {
            throw new IOException(path + " is not a safetensors file (header length " + headerLength + ")");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(header, 8);
        this.dataStart = 8 + headerLength;
        JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue()
                        .fields()
                        .forEachRemaining(
                                m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode node = e.getValue();
            long[] shape = new long[node.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = node.get("shape").get(i).asLong();
            }
            DType dtype = DType.fromSafetensors(node.get("dtype").asText());
            long begin = node.get("data_offsets").get(0).asLong();
            long end = node.get("data_offsets").get(1).asLong();
            Info info = new Info(dtype, shape);
            if (end - begin != info.numel() * dtype.bytes() || dataStart + end > channel.size()) {
                throw new IOException(path + ": tensor " + e.getKey() + " has inconsistent data offsets");
            }
            infos.put(e.getKey(), info);
            offsets.put(e.getKey(), new long[] {begin, end});
        }
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
