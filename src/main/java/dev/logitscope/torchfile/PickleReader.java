package dev.logitscope.torchfile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle of a {@code torch.save} state dict opcode by opcode into {@link Pickled} values,
 * without running anything: a global is looked up in {@link AllowedGlobals} the moment it is
 * imported and anything else ends the read; REDUCE only builds the few values those globals stand
 * for. Liberal in the opcodes of protocols 2–5 a dict of tensors can use, strict in everything else.
 *
 * <p>Bounded: the machine is iterative (no Java recursion), and the stack, the memo, MARK nesting
 * and container nesting have limits, so a crafted pickle ends in one message, never in a
 * StackOverflowError or an allocation its length fields claim.
 */
final class PickleReader {
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MEMO = 1 << 20;
    /**
     * Budgets that bound the memory a pickle can make the reader use (a few hundred MB at most): a
     * state dict runs about 40 opcodes and makes about 5 containers per tensor.
     */
    static final int MAX_OPCODES = 8_000_000;
    static final int MAX_CONTAINERS = 1_000_000;
    static final int MAX_NESTING = 100;
    static final int MAX_DIMENSIONS = 64;
    private static final int MAX_GLOBAL_NAME = 256;

    private final Path file;
    private final String record;
    private final ByteBuffer data;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, Pickled.Storage> storages = new HashMap<>();
    private int opcodeAt;
    private String opcodeName = "";
    private int opcodes;
    private int containers;

    private PickleReader(Path file, String record, byte[] pickle) {
        this.file = file;
        this.record = record;
        this.data = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The value the pickle builds; {@code record} names it in messages (e.g. {@code archive/data.pkl}). */
    static Object read(Path file, String record, byte[] pickle) throws TorchFileException {
        return new PickleReader(file, record, pickle).run();
    }

    private Object run() throws TorchFileException {
        while (true) {
            if (!data.hasRemaining()) {
                throw malformed("it ends without a STOP opcode (is the file truncated?)");
            }
            opcodeAt = data.position();
            int op = data.get() & 0xff;
            opcodeName = Opcodes.name(op);
            if (++opcodes > MAX_OPCODES) {
                throw malformed("it runs more than " + MAX_OPCODES + " opcodes; a state dict needs about 40 per tensor");
            }
            switch (op) {
                case 0x80 -> { // PROTO
                    int protocol = u8();
                    if (protocol > 5) {
                        throw malformed("pickle protocol " + protocol + " is newer than any Python writes");
                    }
                }
                case 0x95 -> length(8, "frame"); // FRAME: a hint for buffered readers; the bytes follow as usual
                case '(' -> { // MARK
                    if (marks.size() >= MAX_NESTING) {
                        throw malformed("MARKs nest deeper than " + MAX_NESTING + " levels; a state dict nests a few");
                    }
                    marks.add(stack.size());
                }
                case '.' -> { // STOP
                    return pop();
                }
                case '0' -> { // POP: pops the topmost mark when nothing was pushed after it, as Python does
                    if (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size()) {
                        popMark();
                    } else {
                        pop();
                    }
                }
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'J' -> push((long) data.getInt(checked(4)));
                case 'K' -> push((long) u8());
                case 'M' -> push((long) u16());
                case 0x8a -> push(longValue(u8())); // LONG1
                case 0x8b -> push(longValue(data.getInt(checked(4)))); // LONG4
                case 'N' -> push(Pickled.NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(data.getLong(checked(8))))); // big-endian
                case 'X' -> push(utf8(length(4, "string")));
                case 0x8c -> push(utf8(u8()));
                case 0x8d -> push(utf8(length(8, "string")));
                case 'T' -> push(latin1(length(4, "string")));
                case 'U' -> push(latin1(u8()));
                case 'B' -> push(bytes(length(4, "bytes")));
                case 'C' -> push(bytes(u8()));
                case 0x8e -> push(bytes(length(8, "bytes")));
                case ')' -> push(tuple(List.of()));
                case 't' -> push(tuple(popMark()));
                case 0x85 -> push(tuple(popN(1)));
                case 0x86 -> push(tuple(popN(2)));
                case 0x87 -> push(tuple(popN(3)));
                case ']' -> push(counted(new Pickled.PyList()));
                case 'l' -> {
                    Pickled.PyList list = counted(new Pickled.PyList());
                    for (Object item : popMark()) {
                        list.add(item);
                    }
                    push(checkDepth(list));
                }
                case 'a' -> { // APPEND
                    Object item = pop();
                    Pickled.PyList list = listOnTop();
                    list.add(item);
                    checkDepth(list);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    Pickled.PyList list = listOnTop();
                    items.forEach(list::add);
                    checkDepth(list);
                }
                case '}' -> push(newDict());
                case 'd' -> { // DICT
                    Pickled.Dict dict = newDict();
                    putPairs(dict, popMark());
                    push(dict);
                }
                case 's' -> { // SETITEM
                    Object value = pop();
                    Object key = pop();
                    Pickled.Dict dict = dictOnTop();
                    dict.put(key, value);
                    checkDepth(dict);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putPairs(dictOnTop(), items);
                }
                case 'q' -> memoPut(u8());
                case 'r' -> memoPut(u32());
                case 0x94 -> memoPut(memo.size()); // MEMOIZE
                case 'h' -> memoGet(u8());
                case 'j' -> memoGet(u32());
                case 'c' -> { // GLOBAL module\nname\n
                    String module = line();
                    String name = line();
                    push(global(module, name));
                }
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw malformed("STACK_GLOBAL needs two strings, got " + Pickled.describe(module) + " and "
                                + Pickled.describe(name));
                    }
                    push(global(m, n));
                }
                case 'i' -> { // INST module\nname\n: imports and calls in one opcode; torch.save never writes it
                    String module = line();
                    String name = line();
                    global(module, name);
                    throw refused("opcode INST (it calls " + module + "." + name + "), which torch.save never writes");
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object callable = pop();
                    push(Rebuild.call(this, callable, args));
                }
                case 0x81 -> { // NEWOBJ cls args: cls.__new__(cls, *args)
                    Object args = pop();
                    Object cls = pop();
                    push(Rebuild.newObject(this, cls, args));
                }
                case 0x92 -> { // NEWOBJ_EX cls args kwargs
                    Object kwargs = pop();
                    Object args = pop();
                    Object cls = pop();
                    if (!(kwargs instanceof Pickled.Dict d) || !d.keys.isEmpty()) {
                        throw refused("NEWOBJ_EX with keyword arguments, which a state dict never needs");
                    }
                    push(Rebuild.newObject(this, cls, args));
                }
                case 'b' -> { // BUILD: only an OrderedDict's attributes (a state dict's _metadata), which are dropped
                    Object state = pop();
                    Object target = peek();
                    if (!(target instanceof Pickled.Dict)) {
                        throw refused("BUILD on " + Pickled.describe(target) + " (state " + Pickled.describe(state)
                                + "); a state dict only sets attributes of its OrderedDict");
                    }
                }
                case 'Q' -> push(Rebuild.storage(this, pop())); // BINPERSID
                default -> throw refused("opcode " + opcodeName + ", which a torch.save state dict never uses");
            }
        }
    }

    // ---- what Rebuild uses

    TorchFileException malformed(String what) {
        return new TorchFileException(file, record + " is not a valid pickle: " + what + " (opcode " + opcodeName
                + " at byte " + opcodeAt + ")");
    }

    TorchFileException refused(String what) {
        return new TorchFileException(file, record + " uses " + what + " (at byte " + opcodeAt + ")."
                + " Only plain state dicts of tensors are read; nothing in the file was run."
                + " Re-save the weights with torch.save(model.state_dict(), path) or convert them to safetensors.");
    }

    /** One storage per key: a second persistent id for the same record must agree with the first. */
    Pickled.Storage registerStorage(Pickled.Storage storage) throws TorchFileException {
        Pickled.Storage first = storages.putIfAbsent(storage.key(), storage);
        if (first != null && !first.equals(storage)) {
            throw malformed("storage '" + storage.key() + "' is described twice differently (" + first.dtype() + " × "
                    + first.numel() + ", then " + storage.dtype() + " × " + storage.numel() + ")");
        }
        return first != null ? first : storage;
    }

    // ---- the machine

    private Pickled.Global global(String module, String name) throws TorchFileException {
        String where = " (opcode " + opcodeName + " at byte " + opcodeAt + ")";
        if (module.equals("torch") && name.endsWith("Storage") && AllowedGlobals.find(module, name).isEmpty()) {
            throw new TorchFileException(file, record + " holds tensors of type torch." + name + where
                    + ", which are not read (only float, half, bfloat16, double and integer tensors are). Nothing in"
                    + " the file was run. Convert the weights to float32 or float16 and save them again.");
        }
        return AllowedGlobals.find(module, name).orElseThrow(() -> new TorchFileException(file, record + " imports "
                + module + "." + name + where + ", which is not part of a PyTorch state dict: the file holds other"
                + " Python objects (a whole pickled model?) or is malicious. It was refused and nothing in it was run."
                + " Allowed are only " + AllowedGlobals.LIST + ". Save the weights with torch.save(model.state_dict(),"
                + " path) or convert them to safetensors, and load only files you trust."));
    }

    private void push(Object value) throws TorchFileException {
        if (stack.size() >= MAX_STACK) {
            throw malformed("the stack grew past " + MAX_STACK + " values");
        }
        stack.add(value);
    }

    private Object pop() throws TorchFileException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw malformed("it takes a value from an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws TorchFileException {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) {
            throw malformed("it reads a value from an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) throws TorchFileException {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) {
            items[i] = pop();
        }
        return List.of(items);
    }

    /** The values pushed since the last MARK, which is removed. */
    private List<Object> popMark() throws TorchFileException {
        if (marks.isEmpty()) {
            throw malformed("there is no MARK to end");
        }
        int start = marks.remove(marks.size() - 1);
        List<Object> top = stack.subList(start, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    /** A new, empty dict, counted against the container budget. */
    Pickled.Dict newDict() throws TorchFileException {
        return counted(new Pickled.Dict());
    }

    private Pickled.Tuple tuple(List<Object> items) throws TorchFileException {
        return checkDepth(counted(new Pickled.Tuple(items)));
    }

    private <C extends Pickled.Container> C counted(C container) throws TorchFileException {
        if (++containers > MAX_CONTAINERS) {
            throw malformed("it builds more than " + MAX_CONTAINERS + " tuples, lists and dicts; a state dict needs"
                    + " about 5 per tensor");
        }
        return container;
    }

    private <C extends Pickled.Container> C checkDepth(C container) throws TorchFileException {
        if (container.depth > MAX_NESTING) {
            throw malformed("containers nest deeper than " + MAX_NESTING + " levels; a state dict nests a few");
        }
        return container;
    }

    private Pickled.PyList listOnTop() throws TorchFileException {
        Object top = peek();
        if (!(top instanceof Pickled.PyList list)) {
            throw malformed("it appends to " + Pickled.describe(top) + ", not to a list");
        }
        return list;
    }

    private Pickled.Dict dictOnTop() throws TorchFileException {
        Object top = peek();
        if (!(top instanceof Pickled.Dict dict)) {
            throw malformed("it sets an item of " + Pickled.describe(top) + ", not of a dict");
        }
        return dict;
    }

    private void putPairs(Pickled.Dict dict, List<Object> items) throws TorchFileException {
        if (items.size() % 2 != 0) {
            throw malformed("a dict gets an odd number (" + items.size() + ") of keys and values");
        }
        for (int i = 0; i < items.size(); i += 2) {
            dict.put(items.get(i), items.get(i + 1));
        }
        checkDepth(dict);
    }

    private void memoPut(long index) throws TorchFileException {
        Object value = peek();
        if (!memo.containsKey(index) && memo.size() >= MAX_MEMO) {
            throw malformed("the memo grew past " + MAX_MEMO + " entries");
        }
        memo.put(index, value);
    }

    private void memoGet(long index) throws TorchFileException {
        Object value = memo.get(index);
        if (value == null) {
            throw malformed("memo entry " + index + " was never stored (the memo holds " + memo.size() + ")");
        }
        push(value);
    }

    /** Python's LONG1/LONG4: little-endian two's complement of n bytes; a state dict's integers fit 64 bits. */
    private Object longValue(int n) throws TorchFileException {
        if (n < 0 || n > 8) {
            throw refused("an integer of " + Integer.toUnsignedString(n) + " bytes; a state dict's integers fit in 8");
        }
        int at = checked(n);
        if (n == 0) {
            return 0L;
        }
        long value = data.get(at + n - 1); // sign-extends the top byte
        for (int i = n - 2; i >= 0; i--) {
            value = (value << 8) | (data.get(at + i) & 0xff);
        }
        return value;
    }

    /** Skips {@code n} bytes and returns where they started, refusing a length past the pickle's end. */
    private int checked(long n) throws TorchFileException {
        if (n < 0 || n > data.remaining()) {
            throw malformed("it needs " + Long.toUnsignedString(n) + " more bytes but only " + data.remaining() + " follow");
        }
        int at = data.position();
        data.position(at + (int) n);
        return at;
    }

    private int u8() throws TorchFileException {
        return data.get(checked(1)) & 0xff;
    }

    private int u16() throws TorchFileException {
        int at = checked(2);
        return (data.get(at) & 0xff) | (data.get(at + 1) & 0xff) << 8;
    }

    private long u32() throws TorchFileException {
        return data.getInt(checked(4)) & 0xffffffffL;
    }

    /** A little-endian length of {@code width} bytes, checked against what is left before anything is allocated. */
    private int length(int width, String what) throws TorchFileException {
        int at = checked(width);
        long n = width == 4 ? data.getInt(at) & 0xffffffffL : data.getLong(at);
        if (n < 0 || n > data.remaining()) {
            throw malformed("a " + what + " of " + Long.toUnsignedString(n) + " bytes is longer than the "
                    + data.remaining() + " bytes that follow");
        }
        return (int) n;
    }

    private String utf8(int n) throws TorchFileException {
        int at = checked(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(data.duplicate().position(at).limit(at + n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("a string is not valid UTF-8");
        }
    }

    private String latin1(int n) throws TorchFileException {
        int at = checked(n);
        return new String(data.array(), at, n, StandardCharsets.ISO_8859_1);
    }

    private byte[] bytes(int n) throws TorchFileException {
        int at = checked(n);
        byte[] out = new byte[n];
        data.get(at, out);
        return out;
    }

    /** A newline-terminated ASCII line of GLOBAL or INST (a module or a name). */
    private String line() throws TorchFileException {
        int start = data.position();
        int limit = Math.min(data.limit(), start + MAX_GLOBAL_NAME + 1);
        for (int i = start; i < limit; i++) {
            if (data.get(i) == '\n') {
                data.position(i + 1);
                return new String(data.array(), start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        throw malformed("a global's module or name is not a line of at most " + MAX_GLOBAL_NAME + " characters");
    }
}
