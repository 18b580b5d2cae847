package dev.logitscope.torchfile;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of a pickled flat state dict ({@code name → tensor}, a dict or an OrderedDict), in
 * the dict's order. Plain values beside the tensors (an int, a string, None) are skipped; a
 * nested container means the file is something else (a training checkpoint holding a model's
 * state dict and an optimizer's, say) and is refused with what to do.
 */
final class StateDict {
    private StateDict() {}

    static Map<String, Pickled.Tensor> tensors(Path file, String record, Object root) throws TorchFileException {
        if (!(root instanceof Pickled.Dict dict)) {
            throw new TorchFileException(file, record + " holds " + Pickled.describe(root) + ", not a state dict"
                    + " (a dict of tensor names to tensors). Save the weights with torch.save(model.state_dict(), path).");
        }
        Map<String, Pickled.Tensor> tensors = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < dict.keys.size(); i++) {
            Object key = dict.keys.get(i);
            Object value = dict.values.get(i);
            if (!(key instanceof String name)) {
                throw new TorchFileException(file, record + " has a key that is " + Pickled.describe(key)
                        + "; a state dict's keys are tensor names");
            }
            if (!seen.add(name)) {
                throw new TorchFileException(file, record + " holds '" + name + "' twice; a state dict names each tensor once");
            }
            if (value instanceof Pickled.Tensor tensor) {
                tensors.put(name, tensor);
            } else if (!isPlain(value)) {
                throw new TorchFileException(file, record + ": '" + name + "' holds " + Pickled.describe(value)
                        + ", not a tensor. This is not a flat state dict (a training checkpoint with the model's weights"
                        + " inside?). Save the weights alone with torch.save(model.state_dict(), path).");
            }
        }
        return tensors;
    }

    private static boolean isPlain(Object value) {
        return value == Pickled.NONE || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String || value instanceof byte[];
    }
}
