package dev.logitscope.torchfile;

import java.util.List;

/**
 * What the allowed globals build, checked the way torch checks them (and stricter where torch would
 * trust the file): {@code OrderedDict()}, a tensor from {@code _rebuild_tensor_v2}, a parameter's
 * tensor, and the storage a persistent id names. Shapes, strides and offsets are checked against
 * the storage here, so every tensor that leaves the pickle reads inside its storage.
 */
final class Rebuild {
    private Rebuild() {}

    /** REDUCE: {@code callable(*args)} for the allowed callables. */
    static Object call(PickleReader reader, Object callable, Object args) throws TorchFileException {
        if (!(callable instanceof Pickled.Global global)) {
            throw reader.refused("a call of " + Pickled.describe(callable) + ", which is not a function");
        }
        List<Object> a = arguments(reader, global, args);
        return switch (global.kind()) {
            case ORDERED_DICT -> orderedDict(reader, a);
            case REBUILD_TENSOR_V2 -> tensor(reader, a);
            case REBUILD_PARAMETER -> parameter(reader, global, a, 3);
            case REBUILD_PARAMETER_WITH_STATE -> parameter(reader, global, a, 4);
            case STORAGE_TYPE -> throw reader.refused("a call of " + global.qualifiedName()
                    + ", which torch.save only names in a storage's persistent id");
        };
    }

    /** NEWOBJ: {@code cls.__new__(cls, *args)}; only an empty OrderedDict. */
    static Object newObject(PickleReader reader, Object cls, Object args) throws TorchFileException {
        if (cls instanceof Pickled.Global global && global.kind() == Pickled.Kind.ORDERED_DICT) {
            return orderedDict(reader, arguments(reader, global, args));
        }
        throw reader.refused("a new object of " + Pickled.describe(cls) + ", which a state dict never needs");
    }

    /** BINPERSID: {@code ('storage', torch.FloatStorage, key, location, numel)} as torch.save writes it. */
    static Pickled.Storage storage(PickleReader reader, Object pid) throws TorchFileException {
        if (!(pid instanceof Pickled.Tuple t) || t.items.size() != 5 || !"storage".equals(t.items.get(0))) {
            throw reader.refused("a persistent id that is " + Pickled.describe(pid)
                    + ", not ('storage', type, key, location, numel)");
        }
        List<Object> p = t.items;
        if (!(p.get(1) instanceof Pickled.Global type) || type.kind() != Pickled.Kind.STORAGE_TYPE) {
            throw reader.refused("a storage of type " + Pickled.describe(p.get(1)) + ", not a torch.*Storage type");
        }
        if (!(p.get(2) instanceof String key)) {
            throw reader.malformed("a storage key is " + Pickled.describe(p.get(2)) + ", not a string");
        }
        if (!(p.get(3) instanceof String)) {
            throw reader.malformed("the location of storage '" + key + "' is " + Pickled.describe(p.get(3)) + ", not a string");
        }
        long numel = nonNegative(reader, p.get(4), "the element count of storage '" + key + "'");
        try {
            Math.multiplyExact(numel, (long) type.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw reader.malformed("storage '" + key + "' claims " + numel + " elements, more bytes than a 64-bit size holds");
        }
        return reader.registerStorage(new Pickled.Storage(type.dtype(), key, numel));
    }

    private static List<Object> arguments(PickleReader reader, Pickled.Global global, Object args) throws TorchFileException {
        if (!(args instanceof Pickled.Tuple t)) {
            throw reader.malformed(global.qualifiedName() + " is called with " + Pickled.describe(args) + ", not a tuple");
        }
        return t.items;
    }

    private static Pickled.Dict orderedDict(PickleReader reader, List<Object> args) throws TorchFileException {
        if (!args.isEmpty()) {
            throw reader.refused("collections.OrderedDict called with arguments; torch.save fills it item by item");
        }
        return reader.newDict();
    }

    /**
     * {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}:
     * a view of {@code size} with {@code stride} (in elements) from {@code storage_offset}.
     */
    private static Pickled.Tensor tensor(PickleReader reader, List<Object> a) throws TorchFileException {
        if (a.size() != 6 && a.size() != 7) {
            throw reader.malformed("_rebuild_tensor_v2 takes 6 or 7 arguments, not " + a.size());
        }
        if (!(a.get(0) instanceof Pickled.Storage storage)) {
            throw reader.malformed("_rebuild_tensor_v2's storage is " + Pickled.describe(a.get(0)));
        }
        long offset = nonNegative(reader, a.get(1), "a tensor's storage offset");
        long[] shape = dimensions(reader, a.get(2), "size");
        long[] stride = dimensions(reader, a.get(3), "stride");
        if (shape.length != stride.length) {
            throw reader.malformed("a tensor has " + shape.length + " sizes but " + stride.length + " strides");
        }
        if (!(a.get(4) instanceof Boolean)) {
            throw reader.malformed("_rebuild_tensor_v2's requires_grad is " + Pickled.describe(a.get(4)));
        }
        if (!(a.get(5) instanceof Pickled.Dict)) {
            throw reader.malformed("_rebuild_tensor_v2's backward_hooks is " + Pickled.describe(a.get(5)));
        }
        if (a.size() == 7 && a.get(6) != Pickled.NONE
                && !(a.get(6) instanceof Pickled.Dict metadata && metadata.keys.isEmpty())) {
            // torch records flags such as a lazily negated or conjugated view here; reading such a
            // tensor as plain values would give wrong numbers.
            throw reader.refused("tensor metadata (" + Pickled.describe(a.get(6)) + ") that changes how its values read");
        }
        checkInside(reader, storage, offset, shape, stride);
        return new Pickled.Tensor(storage, offset, shape, stride);
    }

    /** {@code _rebuild_parameter(data, requires_grad, backward_hooks[, state])}: the parameter's tensor. */
    private static Pickled.Tensor parameter(PickleReader reader, Pickled.Global global, List<Object> a, int arity)
            throws TorchFileException {
        if (a.size() != arity) {
            throw reader.malformed(global.qualifiedName() + " takes " + arity + " arguments, not " + a.size());
        }
        if (!(a.get(0) instanceof Pickled.Tensor tensor)) {
            throw reader.malformed(global.qualifiedName() + "'s data is " + Pickled.describe(a.get(0)) + ", not a tensor");
        }
        return tensor;
    }

    /**
     * The last element the view reads, offset + Σ (size_i − 1) · stride_i, must be inside the
     * storage; an empty tensor reads nothing. Exact arithmetic: overflow is an error, not a wrap.
     */
    private static void checkInside(PickleReader reader, Pickled.Storage storage, long offset, long[] shape, long[] stride)
            throws TorchFileException {
        try {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            if (count == 0) {
                return;
            }
            long last = offset;
            for (int i = 0; i < shape.length; i++) {
                last = Math.addExact(last, Math.multiplyExact(shape[i] - 1, stride[i]));
            }
            if (last >= storage.numel()) {
                throw reader.malformed("a tensor of size " + java.util.Arrays.toString(shape) + ", stride "
                        + java.util.Arrays.toString(stride) + " and offset " + offset + " reads element " + last
                        + " of storage '" + storage.key() + "', which holds " + storage.numel());
            }
        } catch (ArithmeticException e) {
            throw reader.malformed("a tensor of size " + java.util.Arrays.toString(shape) + " and stride "
                    + java.util.Arrays.toString(stride) + " spans more elements than a 64-bit count holds");
        }
    }

    private static long[] dimensions(PickleReader reader, Object value, String what) throws TorchFileException {
        if (!(value instanceof Pickled.Tuple t)) {
            throw reader.malformed("a tensor's " + what + " is " + Pickled.describe(value) + ", not a tuple");
        }
        if (t.items.size() > PickleReader.MAX_DIMENSIONS) {
            throw reader.malformed("a tensor has " + t.items.size() + " dimensions, more than " + PickleReader.MAX_DIMENSIONS);
        }
        long[] out = new long[t.items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(reader, t.items.get(i), "a tensor's " + what);
        }
        return out;
    }

    private static long nonNegative(PickleReader reader, Object value, String what) throws TorchFileException {
        if (!(value instanceof Long n) || n < 0) {
            throw reader.malformed(what + " is " + (value instanceof Long m ? m.toString() : Pickled.describe(value))
                    + ", not a non-negative integer");
        }
        return n;
    }
}
