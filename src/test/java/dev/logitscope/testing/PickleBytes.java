package dev.logitscope.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes pickle opcodes one by one, for tests that craft pickles torch would never write (hostile
 * globals, broken stacks, bombs). Names follow Python's {@code pickletools}.
 *
 * <pre>{@code
 * byte[] evil = new PickleBytes().proto(2).global("os", "system").unicode("touch /tmp/x").tuple1().reduce().stop().toByteArray();
 * }</pre>
 */
public final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public PickleBytes op(int opcode) {
        out.write(opcode);
        return this;
    }

    public PickleBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public PickleBytes u32(long value) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        return this;
    }

    public PickleBytes u64(long value) {
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return this;
    }

    public PickleBytes proto(int protocol) {
        return op(0x80).op(protocol);
    }

    public PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** BINUNICODE: a 4-byte length, then UTF-8. */
    public PickleBytes unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op('X').u32(b.length).raw(b);
    }

    /** SHORT_BINUNICODE (protocol 4). */
    public PickleBytes shortUnicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return op(0x8c).op(b.length).raw(b);
    }

    /** The smallest opcode that holds a non-negative int, as Python picks it. */
    public PickleBytes integer(long v) {
        if (v >= 0 && v <= 0xff) {
            return op('K').op((int) v);
        }
        if (v >= 0 && v <= 0xffff) {
            return op('M').op((int) (v & 0xff)).op((int) (v >>> 8));
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').u32(v);
        }
        // LONG1: little-endian two's complement, as few bytes as hold the value and its sign
        byte[] le = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
        int n = 8;
        while (n > 1 && ((le[n - 1] == 0 && (le[n - 2] & 0x80) == 0) || (le[n - 1] == -1 && (le[n - 2] & 0x80) != 0))) {
            n--;
        }
        op(0x8a).op(n);
        out.write(le, 0, n);
        return this;
    }

    public PickleBytes mark() {
        return op('(');
    }

    public PickleBytes tuple() {
        return op('t');
    }

    public PickleBytes emptyTuple() {
        return op(')');
    }

    public PickleBytes tuple1() {
        return op(0x85);
    }

    public PickleBytes tuple2() {
        return op(0x86);
    }

    public PickleBytes emptyDict() {
        return op('}');
    }

    public PickleBytes emptyList() {
        return op(']');
    }

    public PickleBytes setItem() {
        return op('s');
    }

    public PickleBytes setItems() {
        return op('u');
    }

    public PickleBytes reduce() {
        return op('R');
    }

    public PickleBytes build() {
        return op('b');
    }

    public PickleBytes persistentId() {
        return op('Q');
    }

    public PickleBytes newFalse() {
        return op(0x89);
    }

    public PickleBytes binput(int index) {
        return op('q').op(index);
    }

    public PickleBytes binget(int index) {
        return op('h').op(index);
    }

    public PickleBytes longBinget(long index) {
        return op('j').u32(index);
    }

    public PickleBytes stop() {
        return op('.');
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
