package dev.logitscope.torchfile;

import dev.logitscope.tensors.DType;
import java.util.Map;
import java.util.Optional;

/**
 * The only Python globals a state-dict pickle may name: the ones {@code torch.save} writes for a
 * dict of dense tensors. A pickle runs code only through the globals it imports, so refusing every
 * other name at import is what keeps a hostile file inert (and nothing in Java would run it anyway).
 */
final class AllowedGlobals {
    private AllowedGlobals() {}

    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32,
            "HalfStorage", DType.F16,
            "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64,
            "LongStorage", DType.I64,
            "IntStorage", DType.I32,
            "ShortStorage", DType.I16,
            "CharStorage", DType.I8,
            "ByteStorage", DType.U8,
            "BoolStorage", DType.BOOL);

    /** Every allowed name, for messages. */
    static final String LIST = "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter,"
            + " torch._utils._rebuild_parameter_with_state and the torch.*Storage types";

    static Optional<Pickled.Global> find(String module, String name) {
        Pickled.Kind kind = null;
        DType dtype = null;
        if (module.equals("collections") && name.equals("OrderedDict")) {
            kind = Pickled.Kind.ORDERED_DICT;
        } else if (module.equals("torch._utils")) {
            kind = switch (name) {
                case "_rebuild_tensor_v2" -> Pickled.Kind.REBUILD_TENSOR_V2;
                case "_rebuild_parameter" -> Pickled.Kind.REBUILD_PARAMETER;
                case "_rebuild_parameter_with_state" -> Pickled.Kind.REBUILD_PARAMETER_WITH_STATE;
                default -> null;
            };
        } else if (module.equals("torch") && STORAGE_TYPES.containsKey(name)) {
            kind = Pickled.Kind.STORAGE_TYPE;
            dtype = STORAGE_TYPES.get(name);
        }
        return kind == null ? Optional.empty() : Optional.of(new Pickled.Global(module, name, kind, dtype));
    }
}
