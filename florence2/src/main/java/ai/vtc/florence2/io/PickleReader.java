package ai.vtc.florence2.io;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A small Python pickle virtual machine (protocols 2-5), enough for the {@code data.pkl} of a {@code torch.save}d
 * state_dict: dicts, lists, tuples, strings, numbers, globals, {@code REDUCE}/{@code BUILD} and persistent ids. It never
 * executes code: globals become {@link Global} values and calls are resolved by the caller's {@code reducer}
 * (anything it does not know becomes an opaque {@link Call}).
 *
 * <p>Hostile input is refused with an {@link IOException} in time and memory linear in the stream: at most
 * {@link #MAX_OPCODES} opcodes, lengths checked against the bytes left before anything is allocated, dict keys only
 * strings, numbers and booleans (so no hash of a container is ever taken), and no container that contains itself
 * (a reference cycle built through the memo), checked on every insertion within a total budget of
 * {@link #MAX_CYCLE_CHECK_VISITS} visits.
 */
final class PickleReader {

    /** Most opcodes one pickle may run: a state_dict of Florence-2-large needs about 25,000. */
    static final int MAX_OPCODES = 1_000_000;

    /** Most containers visited, over a whole stream, while checking insertions for reference cycles. */
    static final int MAX_CYCLE_CHECK_VISITS = 4_000_000;

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
    private int opcodes;
    private int cycleCheckVisits;

    PickleReader(
            byte[] data, BiFunction<Global, List<Object>, Object> reducer, Function<Object, Object> persistentLoad) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.reducer = reducer;
        this.persistentLoad = persistentLoad;
    }

    Object load() throws IOException {
        try {
            return run();
        } catch (BufferUnderflowException e) {
            throw new IOException("the pickle is truncated (an opcode reads past its end)");
        } catch (NoSuchElementException | ClassCastException | IndexOutOfBoundsException e) {
            throw new IOException("malformed pickle near byte " + in.position() + ": "
                    + e.getClass().getSimpleName());
        } catch (ArithmeticException | NegativeArraySizeException e) {
            throw new IOException("malformed pickle near byte " + in.position() + ": a length out of range");
        }
    }

    private Object run() throws IOException {
        while (in.hasRemaining()) {
            if (++opcodes > MAX_OPCODES) {
                throw new IOException("the pickle runs more than " + MAX_OPCODES + " opcodes");
            }
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
                case 0x8b -> stack.push(readLong(in.getInt())); // LONG4: only values that fit in 8 bytes
                case 'G' -> { // BINFLOAT is big-endian
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits = (bits << 8) | (in.get() & 0xff);
                    }
                    stack.push(Double.longBitsToDouble(bits));
                }
                case 'X' -> stack.push(readString(length(in.getInt()))); // BINUNICODE
                case 0x8c -> stack.push(readString(in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> stack.push(readString(length(in.getLong()))); // BINUNICODE8
                case 'B' -> stack.push(readBytes(length(in.getInt()))); // BINBYTES
                case 'C' -> stack.push(readBytes(in.get() & 0xff)); // SHORT_BINBYTES
                case 0x8e -> stack.push(readBytes(length(in.getLong()))); // BINBYTES8
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
                        map.put(key(items.get(i)), items.get(i + 1));
                    }
                    stack.push(map);
                }
                case 'a' -> { // APPEND
                    Object value = stack.pop();
                    asList(insertInto(stack.peek(), value)).add(value);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    for (Object item : items) {
                        insertInto(stack.peek(), item);
                    }
                    asList(stack.peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object value = stack.pop();
                    Object key = key(stack.pop());
                    asMap(insertInto(stack.peek(), value)).put(key, value);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> map = asMap(stack.peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        insertInto(map, items.get(i + 1));
                        map.put(key(items.get(i)), items.get(i + 1));
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
            items.add(o);
        }
        Collections.reverse(items);
        return items;
    }

    /** Python requires hashable keys; a state_dict's are strings. Containers are refused so none is ever hashed. */
    private Object key(Object key) throws IOException {
        if (key instanceof String || key instanceof Number || key instanceof Boolean || key == NONE) {
            return key;
        }
        throw new IOException("a dict key is a " + describe(key) + "; only strings, numbers and booleans are read");
    }

    /**
     * Refuses to put {@code value} into {@code container} when {@code container} is reachable from it: the result
     * would contain itself. Returns {@code container}.
     */
    private Object insertInto(Object container, Object value) throws IOException {
        if (!isContainer(value)) {
            return container;
        }
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> pending = new ArrayDeque<>();
        pending.push(value);
        while (!pending.isEmpty()) {
            Object next = pending.pop();
            if (next == container) {
                throw new IOException("the pickle builds a " + describe(container)
                        + " that contains itself (a reference cycle); a state_dict has none");
            }
            if (!seen.add(next)) {
                continue;
            }
            if (++cycleCheckVisits > MAX_CYCLE_CHECK_VISITS) {
                throw new IOException("the pickle's containers are shared too often to check for cycles (more than "
                        + MAX_CYCLE_CHECK_VISITS + " visits)");
            }
            children(next).forEach(child -> {
                if (isContainer(child)) {
                    pending.push(child);
                }
            });
        }
        return container;
    }

    private static boolean isContainer(Object o) {
        return o instanceof List<?> || o instanceof Map<?, ?> || o instanceof Call;
    }

    private static Collection<?> children(Object container) {
        if (container instanceof List<?> list) {
            return list;
        } else if (container instanceof Map<?, ?> map) {
            return map.values();
        }
        Call call = (Call) container;
        List<Object> out = new ArrayList<>(call.args());
        out.add(call.callable());
        return out;
    }

    /** A type name for messages: never the value itself, whose string form could be huge or recursive. */
    static String describe(Object o) {
        if (o instanceof List<?>) {
            return "list";
        } else if (o instanceof Map<?, ?>) {
            return "dict";
        } else if (o instanceof Call) {
            return "call";
        }
        return o == null ? "null" : o.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        return (Map<Object, Object>) o;
    }

    private long readLong(int n) throws IOException {
        if (n < 0 || n > 8) {
            throw new IOException("a pickled integer of " + n + " bytes; at most 8 are read");
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            value |= (long) (in.get() & 0xff) << (8 * i);
        }
        if (n > 0 && n < 8 && (value & (1L << (8 * n - 1))) != 0) {
            value -= 1L << (8 * n); // two's complement of the n-byte value
        }
        return value;
    }

    private String readString(int length) throws IOException {
        return new String(readBytes(length), StandardCharsets.UTF_8);
    }

    /** A length read from the stream, checked against what is left of it before anything is allocated. */
    private int length(long length) throws IOException {
        if (length < 0 || length > in.remaining()) {
            throw new IOException("a string or bytes value of " + length + " bytes at byte " + in.position()
                    + ", but only " + in.remaining() + " bytes are left");
        }
        return (int) length;
    }

    private byte[] readBytes(int length) throws IOException {
        length(length);
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        byte b;
        while ((b = in.get()) != '\n') {
            if (sb.length() >= 1024) {
                throw new IOException("a GLOBAL name longer than 1024 bytes at byte " + in.position());
            }
            sb.append((char) b);
        }
        return sb.toString();
    }
}
