package ai.vtc.florence2.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A small Python pickle virtual machine (protocols 2-5), enough for the {@code data.pkl} of a {@code torch.save}d
 * state_dict: dicts, lists, tuples, strings, numbers, globals, {@code REDUCE}/{@code BUILD} and persistent ids. It never
 * executes code: globals become {@link Global} values and calls are resolved by the caller's {@code reducer}
 * (anything it does not know becomes an opaque {@link Call}).
 */
final class PickleReader {

    /** A {@code module.name} reference from a GLOBAL / STACK_GLOBAL opcode. */
    record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** An unresolved call {@code callable(*args)}. */
    record Call(Object callable, List<Object> args) {}

    private static final Object MARK = new Object();

    private final ByteBuffer in;
    private final BiFunction<Global, List<Object>, Object> reducer;
    private final Function<Object, Object> persistentLoad;
    private final Deque<Object> stack = new ArrayDeque<>();
    private final Map<Integer, Object> memo = new HashMap<>();

    PickleReader(
            byte[] data, BiFunction<Global, List<Object>, Object> reducer, Function<Object, Object> persistentLoad) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.reducer = reducer;
        this.persistentLoad = persistentLoad;
    }

    Object load() throws IOException {
        while (in.hasRemaining()) {
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> in.get(); // PROTO
                case 0x95 -> in.getLong(); // FRAME
                case '.' -> { // STOP
                    return stack.pop();
                }
                case '(' -> stack.push(MARK);
                case '}' -> stack.push(new LinkedHashMap<>());
                case ']' -> stack.push(new ArrayList<>());
                case ')' -> stack.push(new ArrayList<>(0)); // EMPTY_TUPLE (tuples are lists here)
                case 'N' -> stack.push(NONE);
                case 0x88 -> stack.push(Boolean.TRUE);
                case 0x89 -> stack.push(Boolean.FALSE);
                case 'J' -> stack.push((long) in.getInt());
                case 'K' -> stack.push((long) (in.get() & 0xff));
                case 'M' -> stack.push((long) (in.getShort() & 0xffff));
                case 0x8a -> stack.push(readLong(in.get() & 0xff)); // LONG1
                case 0x8b -> stack.push(readLong(in.getInt())); // LONG4
                case 'G' -> { // BINFLOAT is big-endian
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = (bits << 8) | (in.get() & 0xff);
                    }
                    stack.push(Double.longBitsToDouble(bits));
                }
                case 'X' -> stack.push(readString(in.getInt())); // BINUNICODE
                case 0x8c -> stack.push(readString(in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> stack.push(readString(Math.toIntExact(in.getLong()))); // BINUNICODE8
                case 'B' -> stack.push(readBytes(in.getInt())); // BINBYTES
                case 'C' -> stack.push(readBytes(in.get() & 0xff)); // SHORT_BINBYTES
                case 0x8e -> stack.push(readBytes(Math.toIntExact(in.getLong()))); // BINBYTES8
                case 'c' -> stack.push(new Global(readLine(), readLine())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    String name = (String) stack.pop();
                    String module = (String) stack.pop();
                    stack.push(new Global(module, name));
                }
                case 'q' -> memo.put(in.get() & 0xff, stack.peek()); // BINPUT
                case 'r' -> memo.put(in.getInt(), stack.peek()); // LONG_BINPUT
                case 0x94 -> memo.put(memo.size(), stack.peek()); // MEMOIZE
                case 'h' -> stack.push(memo.get(in.get() & 0xff)); // BINGET
                case 'j' -> stack.push(memo.get(in.getInt())); // LONG_BINGET
                case 't' -> stack.push(popMark()); // TUPLE
                case 0x85 -> stack.push(new ArrayList<>(List.of(stack.pop()))); // TUPLE1
                case 0x86 -> { // TUPLE2
                    Object b = stack.pop();
                    Object a = stack.pop();
                    stack.push(new ArrayList<>(List.of(a, b)));
                }
                case 0x87 -> { // TUPLE3
                    Object c = stack.pop();
                    Object b = stack.pop();
                    Object a = stack.pop();
                    stack.push(new ArrayList<>(List.of(a, b, c)));
                }
                case 'l' -> stack.push(popMark()); // LIST
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                    stack.push(map);
                }
                case 'a' -> { // APPEND
                    Object value = stack.pop();
                    asList(stack.peek()).add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    asList(stack.peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object value = stack.pop();
                    Object key = stack.pop();
                    asMap(stack.peek()).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> map = asMap(stack.peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'R' -> { // REDUCE
                    List<Object> args = asList(stack.pop());
                    Object callable = stack.pop();
                    stack.push(callable instanceof Global g ? reducer.apply(g, args) : new Call(callable, args));
                }
                case 0x81 -> { // NEWOBJ
                    List<Object> args = asList(stack.pop());
                    Object cls = stack.pop();
                    stack.push(cls instanceof Global g ? reducer.apply(g, args) : new Call(cls, args));
                }
                case 'b' -> stack.pop(); // BUILD: the state of OrderedDict (_metadata) or of opaque objects is unused
                case 'Q' -> stack.push(persistentLoad.apply(stack.pop())); // BINPERSID
                case '0' -> stack.pop(); // POP
                case '2' -> stack.push(stack.peek()); // DUP
                case '1' -> popMark(); // POP_MARK
                default ->
                    throw new IOException(
                            String.format("unsupported pickle opcode 0x%02x at byte %d", op, in.position() - 1));
            }
        }
        throw new IOException("pickle stream ended without STOP");
    }

    /** Python's None (a distinct object: Java null cannot live in an ArrayDeque). */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private List<Object> popMark() {
        List<Object> items = new ArrayList<>();
        while (true) {
            Object o = stack.pop();
            if (o == MARK) {
                break;
            }
            items.add(0, o);
        }
        return items;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        return (Map<Object, Object>) o;
    }

    private long readLong(int n) {
        long value = 0;
        for (int i = 0; i < n; i++) {
            value |= (long) (in.get() & 0xff) << (8 * i);
        }
        if (n > 0 && n < 8 && (value & (1L << (8 * n - 1))) != 0) {
            value -= 1L << (8 * n); // two's complement of the n-byte value
        }
        return value;
    }

    private String readString(int length) {
        return new String(readBytes(length), StandardCharsets.UTF_8);
    }

    private byte[] readBytes(int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private String readLine() {
        StringBuilder sb = new StringBuilder();
        byte b;
        while ((b = in.get()) != '\n') {
            sb.append((char) b);
        }
        return sb.toString();
    }
}
