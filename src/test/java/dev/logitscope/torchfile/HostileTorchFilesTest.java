package dev.logitscope.torchfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.tensors.DType;
import dev.logitscope.testing.PickleBytes;
import dev.logitscope.testing.TorchCheckpointWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crafted torch.save files: pickles that would run code in Python, broken or lying zips and
 * pickles, absurd sizes, bombs. Each ends in one {@link TorchFileException} whose message says
 * what is wrong, before anything runs or the claimed size is allocated.
 */
class HostileTorchFilesTest {
    @TempDir
    Path dir;

    /** A file the payloads try to create: its absence shows nothing ran. */
    private Path marker;

    @BeforeEach
    void marker() {
        marker = dir.resolve("pwned");
    }

    // ---- pickles that run code in Python's unpickler

    /** Each builds, with the marker's path, a pickle that Python's pickle.load would run. */
    static Stream<Arguments> codeRunningPickles() {
        return Stream.<Arguments>of(
                Arguments.of("os.system", (Function<String, byte[]>) m -> new PickleBytes().proto(2)
                        .global("os", "system").unicode("touch " + m).tuple1().reduce().stop().toByteArray()),
                Arguments.of("posix.system", (Function<String, byte[]>) m -> new PickleBytes().proto(2)
                        .global("posix", "system").unicode("touch " + m).tuple1().reduce().stop().toByteArray()),
                Arguments.of("builtins.eval", (Function<String, byte[]>) m -> new PickleBytes().proto(2)
                        .global("builtins", "eval").unicode("__import__('os').system('touch " + m + "')").tuple1()
                        .reduce().stop().toByteArray()),
                Arguments.of("__builtin__.eval", (Function<String, byte[]>) m -> new PickleBytes().proto(2)
                        .global("__builtin__", "eval").unicode("__import__('os').system('touch " + m + "')").tuple1()
                        .reduce().stop().toByteArray()),
                Arguments.of("subprocess.Popen", (Function<String, byte[]>) m -> new PickleBytes().proto(2)
                        .global("subprocess", "Popen").emptyList().unicode("touch").op('a').unicode(m).op('a').tuple1()
                        .reduce().stop().toByteArray()),
                Arguments.of("builtins.exec", (Function<String, byte[]>) m -> new PickleBytes().proto(4)
                        .shortUnicode("builtins").shortUnicode("exec").op(0x93) // STACK_GLOBAL
                        .unicode("import os; os.system('touch " + m + "')").tuple1().reduce().stop().toByteArray()),
                Arguments.of("os.system", (Function<String, byte[]>) m -> new PickleBytes().proto(2) // INST imports and calls
                        .mark().unicode("touch " + m).op('i').raw("os\nsystem\n".getBytes(StandardCharsets.US_ASCII))
                        .stop().toByteArray()),
                Arguments.of("os.system", (Function<String, byte[]>) m -> { // behind a valid tensor, as a dict value
                    PickleBytes p = new PickleBytes().proto(2).emptyDict().mark().unicode("w");
                    tensor(p, "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
                    return p.unicode("x").global("os", "system").unicode("touch " + m).tuple1().reduce()
                            .setItems().stop().toByteArray();
                }),
                Arguments.of("os.system", (Function<String, byte[]>) m -> new PickleBytes().proto(2) // as a storage type
                        .emptyDict().unicode("w").global("torch._utils", "_rebuild_tensor_v2").mark()
                        .mark().unicode("storage").global("os", "system").unicode("0").unicode("cpu").integer(4).tuple()
                        .persistentId().stop().toByteArray()),
                Arguments.of("torch.load", (Function<String, byte[]>) m -> new PickleBytes().proto(2)
                        .global("torch", "load").unicode(m).tuple1().reduce().stop().toByteArray()));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("codeRunningPickles")
    void aPickleImportingAnythingButAStateDictsGlobalsIsRefusedAndNothingRuns(String global,
            Function<String, byte[]> payload) throws IOException {
        Path file = withPickle(payload.apply(marker.toString()));
        assertThatThrownBy(() -> TorchCheckpointFile.open(file)).isInstanceOf(TorchFileException.class)
                .hasMessageContaining(global)
                .hasMessageContaining("nothing in it was run")
                .hasMessageContaining(file.toString());
        assertThat(marker).doesNotExist();
    }

    @Test
    void anImportedGlobalIsNamedWithItsOpcodeAndPlace() throws IOException {
        Path file = withPickle(new PickleBytes().proto(2).global("os", "system").unicode("true").tuple1().reduce()
                .stop().toByteArray());
        rejects(file, "imports os.system (opcode GLOBAL at byte 2)", "or is malicious",
                "collections.OrderedDict, torch._utils._rebuild_tensor_v2");
    }

    @Test
    void tensorsOfOtherTypesAreNamed() throws IOException {
        rejects(withTensor("ComplexFloatStorage", 4, 0, new long[] {4}, new long[] {1}),
                "holds tensors of type torch.ComplexFloatStorage", "not read");
    }

    @Test
    void allowedGlobalsCannotBeMisused() throws IOException {
        rejects(withPickle(new PickleBytes().proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop()
                .toByteArray()), "a call of torch.FloatStorage");
        rejects(withPickle(new PickleBytes().proto(2).global("torch", "FloatStorage").emptyTuple().op(0x81).stop()
                .toByteArray()), "a new object of torch.FloatStorage");
        rejects(withPickle(new PickleBytes().proto(2).global("collections", "OrderedDict").emptyList().tuple1()
                .reduce().stop().toByteArray()), "OrderedDict called with arguments");
        rejects(withPickle(new PickleBytes().proto(2).unicode("not a function").emptyTuple().reduce().stop()
                .toByteArray()), "a call of a string");
        rejects(withPickle(new PickleBytes().proto(2).mark().unicode("module").unicode("x").integer(1).unicode("cpu")
                .integer(1).tuple().persistentId().stop().toByteArray()), "a persistent id that is a tuple");
        // BUILD may set an OrderedDict's attributes (_metadata), nothing else's.
        PickleBytes p = new PickleBytes().proto(2);
        tensor(p, "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        rejects(withPickle(p.emptyDict().build().stop().toByteArray()), "BUILD on a tensor");
        // Metadata that flips a tensor's values (a lazy negation) is not ignored.
        PickleBytes m = new PickleBytes().proto(2).emptyDict().unicode("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu").integer(4).tuple()
                .persistentId().integer(0).integer(4).tuple1().integer(1).tuple1().newFalse()
                .emptyDict().emptyDict().unicode("neg").op(0x88).setItem().tuple().reduce().setItem().stop();
        rejects(withPickle(m.toByteArray()), "tensor metadata");
    }

    // ---- broken and lying pickles

    @Test
    void brokenPicklesEachEndInOneMessage() throws IOException {
        rejects(withPickle(new PickleBytes().proto(2).binget(5).stop().toByteArray()), "memo entry 5 was never stored");
        rejects(withPickle(new PickleBytes().proto(2).longBinget(0xffffffffL).stop().toByteArray()),
                "memo entry 4294967295 was never stored");
        rejects(withPickle(new PickleBytes().proto(2).emptyDict().op(0xff).toByteArray()), "opcode unknown 0xff");
        rejects(withPickle(new PickleBytes().proto(2).op('I').raw("1\n".getBytes(StandardCharsets.US_ASCII)).stop()
                .toByteArray()), "opcode INT");
        rejects(withPickle(new PickleBytes().proto(2).reduce().stop().toByteArray()), "empty stack");
        rejects(withPickle(new PickleBytes().proto(2).emptyDict().unicode("w").toByteArray()), "without a STOP");
        rejects(withPickle(new PickleBytes().proto(2).emptyDict().setItems().stop().toByteArray()), "no MARK to end");
        rejects(withPickle(new PickleBytes().proto(2).integer(1).integer(3).integer(4).setItem().stop().toByteArray()),
                "sets an item of an integer");
        rejects(withPickle(new PickleBytes().proto(9).stop().toByteArray()), "protocol 9");
        rejects(withPickle(new PickleBytes().proto(2).op('X').u32(0xffffffffL).raw(new byte[10]).toByteArray()),
                "a string of 4294967295 bytes is longer than the 10 bytes that follow");
        rejects(withPickle(new PickleBytes().proto(4).op(0x8e).u64(1L << 62).toByteArray()), "longer than the 0 bytes");
        rejects(withPickle(new PickleBytes().proto(2).op(0x8b).u32(0x7fffffff).stop().toByteArray()),
                "an integer of 2147483647 bytes");
        rejects(withPickle(new PickleBytes().proto(2).op('X').u32(2).raw((byte) 0xc3, (byte) 0x28).stop()
                .toByteArray()), "not valid UTF-8");
        rejects(withPickle(new PickleBytes().proto(2).op('c').raw(new byte[300]).toByteArray()), "not a line");
    }

    @Test
    void whatIsNotAFlatStateDictIsRefusedWithWhatToDo() throws IOException {
        rejects(withPickle(new PickleBytes().proto(2).emptyList().stop().toByteArray()), "holds a list, not a state dict",
                "torch.save(model.state_dict(), path)");
        rejects(withPickle(new PickleBytes().proto(2).emptyDict().unicode("model").emptyDict().setItem().stop()
                .toByteArray()), "'model' holds a dict, not a tensor", "not a flat state dict");
        rejects(withPickle(new PickleBytes().proto(2).emptyDict().integer(1).integer(2).setItem().stop().toByteArray()),
                "a key that is an integer");
        PickleBytes twice = new PickleBytes().proto(2).emptyDict().mark().unicode("w");
        tensor(twice, "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        twice.unicode("w");
        tensor(twice, "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        rejects(withPickle(twice.setItems().stop().toByteArray()), "holds 'w' twice");
        PickleBytes differently = new PickleBytes().proto(2).emptyDict().mark().unicode("a");
        tensor(differently, "FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1});
        differently.unicode("b");
        tensor(differently, "HalfStorage", "0", 8, 0, new long[] {4}, new long[] {1});
        rejects(withPickle(differently.setItems().stop().toByteArray()), "storage '0' is described twice differently");
    }

    @Test
    void recursionBombsEndInAMessage() throws IOException {
        byte[] marks = new byte[10_000];
        Arrays.fill(marks, (byte) '(');
        rejects(withPickle(new PickleBytes().proto(2).raw(marks).stop().toByteArray()), "MARKs nest deeper than 100");
        PickleBytes tuples = new PickleBytes().proto(2).emptyTuple();
        for (int i = 0; i < 100_000; i++) {
            tuples.tuple1();
        }
        rejects(withPickle(tuples.stop().toByteArray()), "containers nest deeper than 100");
        // 100,000 lists, each inside the one before (built top-down, through the memo): read without recursion.
        PickleBytes lists = new PickleBytes().proto(2).emptyList();
        for (int i = 0; i < 100_000; i++) {
            lists.emptyList().op(0x94).op('a').longBinget(i);
        }
        rejects(withPickle(lists.stop().toByteArray()), "holds a list, not a state dict");
        // Memory bombs: a million and one empty dicts in a list; eight million and one opcodes.
        byte[] dicts = new byte[2 * (PickleReader.MAX_CONTAINERS + 1)];
        for (int i = 0; i < dicts.length; i += 2) {
            dicts[i] = '}';
            dicts[i + 1] = 'a';
        }
        rejects(withPickle(new PickleBytes().proto(2).emptyList().raw(dicts).stop().toByteArray()),
                "more than 1000000 tuples, lists and dicts");
        byte[] nones = new byte[2 * PickleReader.MAX_OPCODES];
        for (int i = 0; i < nones.length; i += 2) {
            nones[i] = 'N';
            nones[i + 1] = '0';
        }
        rejects(withPickle(new PickleBytes().proto(2).raw(nones).stop().toByteArray()), "more than 8000000 opcodes");
        // A dict that holds itself, and "billion laughs": lists of the same list twice, 90 deep.
        rejects(withPickle(new PickleBytes().proto(2).emptyDict().binput(0).unicode("me").binget(0).setItem().stop()
                .toByteArray()), "'me' holds a dict");
        PickleBytes laughs = new PickleBytes().proto(2).emptyDict().unicode("lol").emptyList();
        for (int i = 0; i < 90; i++) {
            laughs.binput(0).op('0').emptyList().binget(0).op('a').binget(0).op('a'); // x := [x, x]
        }
        rejects(withPickle(laughs.setItem().stop().toByteArray()), "'lol' holds a list");
    }

    // ---- tensors and storages that lie about their data

    @Test
    void aTensorReadingOutsideItsStorageIsRefused() throws IOException {
        Path file = dir.resolve("outside.bin");
        new TorchCheckpointWriter().add("w", DType.F32, new long[] {3, 4}, new float[12])
                .view("v", "w", 10, new long[] {2, 3}, new long[] {3, 1}).write(file);
        rejects(file, "reads element 15 of storage '0', which holds 12");
    }

    @Test
    void absurdSizesAreRefusedWithoutBeingAllocated() throws IOException {
        long huge = 1L << 40;
        rejects(withTensor("FloatStorage", 4, 0, new long[] {huge, huge}, new long[] {huge, 1}),
                "spans more elements than a 64-bit count holds");
        rejects(withTensor("FloatStorage", 4, 0, new long[] {huge}, new long[] {1}),
                "reads element 1099511627775 of storage '0', which holds 4");
        // The storage claims 2^40 elements (4 TB): its 16-byte record gives it away before any allocation.
        rejects(withTensor("FloatStorage", huge, 0, new long[] {huge}, new long[] {1}),
                "holds 16 bytes but its storage of 1099511627776 F32 elements needs 4398046511104");
        rejects(withTensor("FloatStorage", 1L << 62, 0, new long[] {1}, new long[] {1}), "more bytes than a 64-bit size");
        rejects(withTensor("FloatStorage", 4, 0, new long[] {-1}, new long[] {1}), "not a non-negative integer");
        rejects(withTensor("FloatStorage", 4, 0, new long[] {2, 2}, new long[] {1}), "2 sizes but 1 strides");
        // An empty tensor reads nothing, so its offset (here 2^61, 2^63 bytes) is never turned into a file position.
        try (TorchCheckpointFile f = TorchCheckpointFile.open(withTensor("FloatStorage", 4, 1L << 61, new long[] {0, 3},
                new long[] {3, 1}))) {
            assertThat(f.readFloats("w")).isEmpty();
        }
    }

    @Test
    void storageRecordsThatDoNotMatchAreRefused() throws IOException {
        Path shorter = dir.resolve("short.bin");
        new TorchCheckpointWriter().add("w", DType.F32, new long[] {4}, new float[4])
                .replaceRecord("data/0", new byte[12]).write(shorter);
        rejects(shorter, "record short/data/0 holds 12 bytes but its storage of 4 F32 elements needs 16");
        Path missing = dir.resolve("missing.bin");
        new TorchCheckpointWriter().add("a", DType.F32, new long[] {1}, new float[1])
                .add("b", DType.F32, new long[] {1}, new float[1]).omitRecord("data/1").write(missing);
        rejects(missing, "refers to storage '1' but the archive has no record missing/data/1");
        Path big = dir.resolve("big.bin");
        new TorchCheckpointWriter().add("a", DType.F32, new long[] {1}, new float[1])
                .replaceRecord("byteorder", "big".getBytes(StandardCharsets.US_ASCII)).write(big);
        rejects(big, "saved on a big-endian machine");
        Path noPickle = dir.resolve("nopickle.bin");
        new TorchCheckpointWriter().add("a", DType.F32, new long[] {1}, new float[1]).omitRecord("data.pkl").write(noPickle);
        rejects(noPickle, "not a PyTorch checkpoint written by torch.save: it has no nopickle/data.pkl");
    }

    // ---- zips that are cut, damaged or lie

    @Test
    void everyTruncationEndsInOneMessage() throws IOException {
        byte[] valid = Files.readAllBytes(validFile());
        Path cut = dir.resolve("cut.bin");
        for (int length = 0; length < valid.length; length++) {
            Files.write(cut, Arrays.copyOf(valid, length));
            assertThat(attempt(cut)).as("cut to %d of %d bytes", length, valid.length).isFalse();
        }
    }

    /** Random byte changes: a file is read cleanly or refused with a TorchFileException, nothing else. */
    @Test
    void damagedBytesEndInAReadOrOneMessage() throws IOException {
        byte[] valid = Files.readAllBytes(validFile());
        Path damaged = dir.resolve("damaged.bin");
        java.util.Random random = new java.util.Random(14);
        byte[] interesting = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '(', ')', 'q', 'h', 'R', 'Q', 't', '.', 'P', 'K'};
        for (int trial = 0; trial < 1000; trial++) {
            byte[] bytes = valid.clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                bytes[random.nextInt(bytes.length)] = random.nextBoolean()
                        ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
            }
            Files.write(damaged, bytes);
            attempt(damaged); // fails the test on any throwable but a TorchFileException
        }
    }

    /** Random changes to the pickle alone, its CRC made to match: the parser's and the tensors' checks, not the CRC's. */
    @Test
    void damagedPicklesEndInAReadOrOneMessage() throws IOException {
        byte[] pickle = validWriter().pickle();
        Path damaged = dir.resolve("pickle.bin");
        java.util.Random random = new java.util.Random(15);
        byte[] interesting = {0, 1, 2, 3, 4, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '(', ')', 'q', 'h', 'R', 'Q', 't',
            '.', 'K', 'J', 's', 'u', 'b', (byte) 0x85, (byte) 0x86, (byte) 0x89};
        int read = 0;
        for (int trial = 0; trial < 1000; trial++) {
            byte[] bytes = pickle.clone();
            int changes = 1 + random.nextInt(2);
            for (int c = 0; c < changes; c++) {
                bytes[random.nextInt(bytes.length)] = random.nextBoolean()
                        ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
            }
            validWriter().replacePickle(bytes).write(damaged);
            read += attempt(damaged) ? 1 : 0;
        }
        assertThat(read).as("some changes leave a readable file (a value changed), most do not").isBetween(1, 999);
    }

    @Test
    void lyingZipDirectoriesAreRefused() throws IOException {
        byte[] valid = Files.readAllBytes(validFile());
        int eocd = lastIndexOf(valid, new byte[] {'P', 'K', 5, 6});
        int zip64 = lastIndexOf(valid, new byte[] {'P', 'K', 6, 6});
        // The zip64 end record says the directory is 2^40 bytes long.
        byte[] longDirectory = valid.clone();
        putLong(longDirectory, zip64 + 40, 1L << 40);
        rejects(write("long_dir.bin", longDirectory), "does not fit in the");
        // ... that it holds 2^40 records.
        byte[] manyRecords = valid.clone();
        putLong(manyRecords, zip64 + 32, 1L << 40);
        rejects(write("many.bin", manyRecords), "claims 1099511627776 records");
        // The zip64 locator points outside the file.
        byte[] lost = valid.clone();
        putLong(lost, eocd - 20 + 8, 1L << 50);
        rejects(write("lost.bin", lost), "zip64 end record is said to be at byte");
        // data.pkl is said to be 2 GB long, then 50 MB long (both more than the file holds).
        int record = indexOf(valid, new byte[] {'P', 'K', 1, 2});
        byte[] hugePickle = valid.clone();
        putInt(hugePickle, record + 24, 0x7fffffff);
        putInt(hugePickle, record + 20, 0x7fffffff);
        rejects(write("huge_pickle.bin", hugePickle), "more than the limit of " + TorchCheckpointFile.MAX_PICKLE_BYTES);
        byte[] longPickle = valid.clone();
        putInt(longPickle, record + 24, 50_000_000);
        putInt(longPickle, record + 20, 50_000_000);
        rejects(write("long_pickle.bin", longPickle), "runs past the end of the archive's data");
        // Its local header is said to be past the data; the record is marked compressed; encrypted.
        byte[] far = valid.clone();
        putInt(far, record + 42, 0x7ffffff0);
        rejects(write("far.bin", far), "is said to start at byte");
        byte[] sizes = valid.clone();
        putInt(sizes, record + 20, 3);
        rejects(write("sizes.bin", sizes), "gives two different sizes");
        byte[] deflated = valid.clone();
        deflated[record + 10] = 8;
        rejects(write("deflated.bin", deflated), "is compressed (zip method 8)", "re-packed by another tool");
        byte[] encrypted = valid.clone();
        encrypted[record + 8] |= 1;
        rejects(write("encrypted.bin", encrypted), "is encrypted");
        // Two records under one name.
        byte[] twice = valid.clone();
        int second = indexOf(twice, "valid/data/1".getBytes(StandardCharsets.US_ASCII), record);
        twice[second + "valid/data/".length()] = '0';
        rejects(write("twice.bin", twice), "lists 'valid/data/0' twice");
        // The pickle's bytes changed after the CRC was taken.
        byte[] changed = valid.clone();
        changed[indexOf(changed, "storage".getBytes(StandardCharsets.US_ASCII))] = 'S';
        rejects(write("crc.bin", changed), "fails its CRC-32 check");
    }

    @Test
    void aZipRepackedWithCompressionIsRefusedWithWhatToDo() throws IOException {
        Path valid = validFile();
        Path repacked = dir.resolve("repacked.bin");
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(valid.toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(repacked))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
        }
        rejects(repacked, "is compressed (zip method 8)", "re-packed by another tool", "convert it to safetensors");
    }

    // ---- files that are not torch.save zips

    @Test
    void theLegacyFormatIsRefusedWithWhatToDo() throws IOException {
        byte[] legacy = new PickleBytes().proto(2).op(0x8a).op(10)
                .raw((byte) 0x6c, (byte) 0xfc, (byte) 0x9c, (byte) 0x46, (byte) 0xf9, (byte) 0x20, (byte) 0x6a,
                        (byte) 0xa8, (byte) 0x50, (byte) 0x19)
                .stop().toByteArray(); // how torch < 1.6 began every file: the pickled magic number 0x1950a86a20f9469cfc6c
        rejects(write("legacy.bin", legacy), "legacy format of PyTorch before 1.6", "re-save it with a current torch",
                "convert it to safetensors");
        rejects(write("bare.pt", new PickleBytes().proto(2).emptyDict().stop().toByteArray()), "a bare pickle");
    }

    @Test
    void otherFilesSayWhatTheyAre() throws IOException {
        rejects(write("empty.bin", new byte[0]), "it is empty");
        rejects(write("text.bin", "version https://git-lfs.github.com/spec/v1\n".getBytes(StandardCharsets.US_ASCII)),
                "it is not a zip archive");
        byte[] safetensors = new byte[8 + 2];
        safetensors[0] = 2;
        safetensors[8] = '{';
        safetensors[9] = '}';
        rejects(write("st.bin", safetensors), "is a safetensors file");
        rejects(write("pk.bin", new byte[] {'P', 'K', 3, 4}), "too short for a zip archive");
        Path folder = Files.createDirectories(dir.resolve("folder.bin"));
        rejects(folder, "is a folder");
        rejects(dir.resolve("absent.bin"), "file not found");
        java.io.ByteArrayOutputStream plainZip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(plainZip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            out.write("hello".getBytes(StandardCharsets.US_ASCII));
        }
        rejects(write("plain.zip", plainZip.toByteArray()), "its first record 'readme.txt' is not in a folder");
    }

    // ---- helpers

    /** A small valid file of every kind of record: F32, F16 and BF16 storages, a shared one, a view. */
    private Path validFile() throws IOException {
        Path file = dir.resolve("valid.bin");
        validWriter().write(file);
        return file;
    }

    private static TorchCheckpointWriter validWriter() {
        return new TorchCheckpointWriter()
                .add("w", DType.F32, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .add("h", DType.F16, new long[] {2}, new float[] {0.5f, -1})
                .add("b", DType.BF16, new long[] {2}, new float[] {2, -4})
                .view("wT", "w", 0, new long[] {3, 2}, new long[] {1, 3});
    }

    /** Reads everything; true if it read, false on a TorchFileException; any other throwable fails the test. */
    private static boolean attempt(Path file) {
        try (TorchCheckpointFile f = TorchCheckpointFile.open(file)) {
            for (String name : f.names()) {
                if (f.require(name).dtype().isLoadableAsFloat()) {
                    f.readFloats(name);
                    TorchCheckpointFileTest.readPlainly(f, name);
                }
            }
            return true;
        } catch (TorchFileException e) {
            assertThat(e.getMessage()).startsWith(file.toString())
                    .as("a check is missing; the safety net caught it").doesNotContain(TorchCheckpointFile.INCONSISTENT);
            return false;
        } catch (Throwable t) {
            throw new AssertionError("not a TorchFileException: " + t, t);
        }
    }

    private Path withPickle(byte[] pickle) throws IOException {
        Path file = Files.createTempFile(dir, "crafted", ".bin");
        new TorchCheckpointWriter().add("x", DType.F32, new long[] {4}, new float[4]).replacePickle(pickle).write(file);
        return file;
    }

    private Path withTensor(String storageType, long numel, long offset, long[] size, long[] stride) throws IOException {
        PickleBytes p = new PickleBytes().proto(2).emptyDict().unicode("w");
        tensor(p, storageType, "0", numel, offset, size, stride);
        return withPickle(p.setItem().stop().toByteArray());
    }

    /** Appends _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, size, stride, False, OrderedDict()). */
    static void tensor(PickleBytes p, String storageType, String key, long numel, long offset, long[] size, long[] stride) {
        p.global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", storageType).unicode(key).unicode("cpu").integer(numel).tuple()
                .persistentId().integer(offset);
        p.mark();
        for (long s : size) {
            p.integer(s);
        }
        p.tuple().mark();
        for (long s : stride) {
            p.integer(s);
        }
        p.tuple().newFalse().global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(Path file, String... parts) {
        AbstractThrowableAssert<?, ? extends Throwable> a = assertThatThrownBy(() -> TorchCheckpointFile.open(file).close())
                .isInstanceOf(TorchFileException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageNotContaining(TorchCheckpointFile.INCONSISTENT);
        for (String part : parts) {
            a.hasMessageContaining(part);
        }
        return a;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + new String(needle, StandardCharsets.ISO_8859_1));
    }

    private static int lastIndexOf(byte[] haystack, byte[] needle) {
        int found = -1;
        for (int i = indexOf(haystack, needle); i >= 0; ) {
            found = i;
            try {
                i = indexOf(haystack, needle, i + 1);
            } catch (AssertionError e) {
                break;
            }
        }
        return found;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    private static void putLong(byte[] bytes, int at, long value) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }
}
