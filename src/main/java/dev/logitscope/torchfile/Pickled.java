package dev.logitscope.torchfile;

import dev.logitscope.tensors.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * The values a state-dict pickle can build: Python's scalars as Java's ({@code Long}, {@code Double},
 * {@code Boolean}, {@code String}, {@code byte[]}, {@link #NONE}), containers, allowed globals,
 * storages and tensors. Containers compare by identity and are never hashed or walked recursively,
 * so a pickle that makes a container hold itself cannot send the reader into endless recursion.
 */
final class Pickled {
    private Pickled() {}

    /** Python's None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /**
     * A container; {@code depth} is 1 + the deepest container put into it, checked against a limit
     * as containers are filled.
     */
    abstract static class Container {
        int depth = 1;

        void noteChild(Object child) {
            if (child instanceof Container c) {
                depth = Math.max(depth, c.depth + 1);
            }
        }
    }

    static final class Tuple extends Container {
        final List<Object> items;

        Tuple(List<Object> items) {
            this.items = List.copyOf(items);
            this.items.forEach(this::noteChild);
        }
    }

    static final class PyList extends Container {
        final List<Object> items = new ArrayList<>();

        void add(Object item) {
            items.add(item);
            noteChild(item);
        }
    }

    /** A dict or OrderedDict: its items in insertion order (a later equal key is found when read). */
    static final class Dict extends Container {
        final List<Object> keys = new ArrayList<>();
        final List<Object> values = new ArrayList<>();

        void put(Object key, Object value) {
            keys.add(key);
            values.add(value);
            noteChild(key);
            noteChild(value);
        }
    }

    /** What an allowed global is; anything else is refused when it is imported. */
    enum Kind { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE, STORAGE_TYPE }

    /** An allowed global; {@code dtype} only for storage types. */
    record Global(String module, String name, Kind kind, DType dtype) {
        String qualifiedName() {
            return module + "." + name;
        }
    }

    /** A persistent id {@code ('storage', torch.FloatStorage, key, location, numel)}: record {@code data/<key>}. */
    record Storage(DType dtype, String key, long numel) {}

    /** What {@code torch._utils._rebuild_tensor_v2} would build: a view of a storage. */
    record Tensor(Storage storage, long offset, long[] shape, long[] stride) {}

    /** How a value is named in messages, without showing (or walking) its contents. */
    static String describe(Object value) {
        if (value == NONE) {
            return "None";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Long) {
            return "an integer";
        }
        if (value instanceof Double) {
            return "a float";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof Tuple) {
            return "a tuple";
        }
        if (value instanceof PyList) {
            return "a list";
        }
        if (value instanceof Dict) {
            return "a dict";
        }
        if (value instanceof Global g) {
            return g.qualifiedName();
        }
        if (value instanceof Storage) {
            return "a storage";
        }
        if (value instanceof Tensor) {
            return "a tensor";
        }
        return "an unknown value";
    }
}
