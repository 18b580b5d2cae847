package dev.logitscope.torchfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The central directory of a zip archive, read as untrusted input: where each record's bytes are
 * and how they are stored. Every size and offset is checked against the file before anything is
 * read or allocated, so a crafted directory cannot make the reader allocate what it claims.
 *
 * <p>Hand-written rather than {@link java.util.zip.ZipFile} because tensors are mapped straight
 * from the file, which needs each record's data offset; ZipFile only hands out streams.
 */
final class ZipDirectory {

    /** One record: {@code method} 0 is STORED, 8 DEFLATE. Sizes and offset as the directory says. */
    record Entry(String name, int flags, int method, long crc32, long compressedSize, long size, long localHeaderOffset) {
        boolean stored() {
            return method == 0;
        }
    }

    /** The most central-directory bytes read: a torch.save file of 100,000 tensors needs about 10 MB. */
    static final long MAX_DIRECTORY_BYTES = 64L << 20;

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIZE = 20;
    private static final int ZIP64_EOCD_SIZE = 56;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIZE = 30;
    private static final long U32_MAX = 0xffffffffL;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    /** Where the central directory begins: every record's data must end before it. */
    private final long directoryStart;
    private final Map<String, Entry> byName;

    private ZipDirectory(Path file, FileChannel channel, long fileSize, long directoryStart, Map<String, Entry> byName) {
        this.file = file;
        this.channel = channel;
        this.fileSize = fileSize;
        this.directoryStart = directoryStart;
        this.byName = byName;
    }

    static ZipDirectory read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < EOCD_SIZE) {
            throw new TorchFileException(file, "is " + fileSize + " bytes long, too short for a zip archive;"
                    + " the file is truncated or not a torch.save checkpoint");
        }
        int tailLength = (int) Math.min(fileSize, EOCD_SIZE + 0xffff);
        long tailStart = fileSize - tailLength;
        ByteBuffer tail = readAt(file, channel, tailStart, tailLength);
        int eocd = findEndRecord(tail);
        if (eocd < 0) {
            throw new TorchFileException(file, "has no zip end-of-directory record; the file is truncated"
                    + " (an interrupted download or save?) or not a torch.save checkpoint");
        }
        long eocdPosition = tailStart + eocd;
        int diskNumber = u16(tail, eocd + 4);
        int directoryDisk = u16(tail, eocd + 6);
        long entries = u16(tail, eocd + 10);
        long directorySize = u32(tail, eocd + 12);
        long directoryOffset = u32(tail, eocd + 16);
        long directoryLimit = eocdPosition; // the directory ends before the record that describes it
        if (eocdPosition >= ZIP64_LOCATOR_SIZE) {
            ByteBuffer locator = readAt(file, channel, eocdPosition - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE);
            if (locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                long zip64Position = locator.getLong(8);
                if (zip64Position < 0 || zip64Position > eocdPosition - ZIP64_LOCATOR_SIZE - ZIP64_EOCD_SIZE) {
                    throw corrupt(file, "its zip64 end record is said to be at byte " + Long.toUnsignedString(zip64Position)
                            + ", outside the file");
                }
                ByteBuffer zip64 = readAt(file, channel, zip64Position, ZIP64_EOCD_SIZE);
                if (zip64.getInt(0) != ZIP64_EOCD_SIGNATURE) {
                    throw corrupt(file, "its zip64 end record is missing");
                }
                diskNumber = zip64.getInt(16);
                directoryDisk = zip64.getInt(20);
                entries = zip64.getLong(32);
                directorySize = zip64.getLong(40);
                directoryOffset = zip64.getLong(48);
                directoryLimit = zip64Position;
            }
        }
        if (diskNumber != 0 || directoryDisk != 0) {
            throw new TorchFileException(file, "is a zip archive split over several disks, which torch.save never writes");
        }
        if (directorySize < 0 || directoryOffset < 0 || directoryOffset > directoryLimit
                || directorySize > directoryLimit - directoryOffset) {
            throw corrupt(file, "its central directory (" + Long.toUnsignedString(directorySize) + " bytes at byte "
                    + Long.toUnsignedString(directoryOffset) + ") does not fit in the " + fileSize + "-byte file");
        }
        if (directorySize > MAX_DIRECTORY_BYTES) {
            throw new TorchFileException(file, "its zip directory of " + directorySize + " bytes exceeds the limit of "
                    + MAX_DIRECTORY_BYTES + " bytes; it is not a state dict torch.save wrote");
        }
        if (entries < 0 || entries > directorySize / CENTRAL_SIZE) {
            throw corrupt(file, "its zip directory claims " + Long.toUnsignedString(entries) + " records in "
                    + directorySize + " bytes");
        }
        ByteBuffer directory = readAt(file, channel, directoryOffset, (int) directorySize);
        Map<String, Entry> byName = new LinkedHashMap<>();
        int at = 0;
        for (long i = 0; i < entries; i++) {
            Entry entry = parseEntry(file, directory, at);
            at += CENTRAL_SIZE + u16(directory, at + 28) + u16(directory, at + 30) + u16(directory, at + 32);
            if (byName.putIfAbsent(entry.name(), entry) != null) {
                throw corrupt(file, "its zip directory lists '" + entry.name() + "' twice");
            }
        }
        return new ZipDirectory(file, channel, fileSize, directoryOffset, byName);
    }

    /** The last end-of-directory signature whose comment fits in what follows it; -1 if none. */
    private static int findEndRecord(ByteBuffer tail) {
        for (int at = tail.limit() - EOCD_SIZE; at >= 0; at--) {
            if (tail.getInt(at) == EOCD_SIGNATURE && at + EOCD_SIZE + u16(tail, at + 20) <= tail.limit()) {
                return at;
            }
        }
        return -1;
    }

    private static Entry parseEntry(Path file, ByteBuffer directory, int at) throws TorchFileException {
        if (at > directory.limit() - CENTRAL_SIZE || directory.getInt(at) != CENTRAL_SIGNATURE) {
            throw corrupt(file, "its zip directory ends early or has a damaged record at byte " + at);
        }
        int flags = u16(directory, at + 8);
        int method = u16(directory, at + 10);
        long crc = u32(directory, at + 16);
        long compressedSize = u32(directory, at + 20);
        long size = u32(directory, at + 24);
        int nameLength = u16(directory, at + 28);
        int extraLength = u16(directory, at + 30);
        int commentLength = u16(directory, at + 32);
        int startDisk = u16(directory, at + 34);
        long localOffset = u32(directory, at + 42);
        int nameAt = at + CENTRAL_SIZE;
        if ((long) nameAt + nameLength + extraLength + commentLength > directory.limit()) {
            throw corrupt(file, "a record of its zip directory runs past the directory's end");
        }
        String name = utf8(file, directory, nameAt, nameLength);
        // ZIP64: the fields that overflowed 32 bits are in extra field 0x0001, in this order.
        int extra = nameAt + nameLength;
        int extraEnd = extra + extraLength;
        while (extra + 4 <= extraEnd) {
            int id = u16(directory, extra);
            int length = u16(directory, extra + 2);
            int field = extra + 4;
            if (field + length > extraEnd) {
                throw corrupt(file, "record '" + name + "' has a damaged extra field");
            }
            if (id == 0x0001) {
                int end = field + length;
                if (size == U32_MAX) {
                    size = zip64Value(file, directory, field, end, name);
                    field += 8;
                }
                if (compressedSize == U32_MAX) {
                    compressedSize = zip64Value(file, directory, field, end, name);
                    field += 8;
                }
                if (localOffset == U32_MAX) {
                    localOffset = zip64Value(file, directory, field, end, name);
                }
            }
            extra += 4 + length;
        }
        if (startDisk != 0 && startDisk != 0xffff) {
            throw new TorchFileException(file, "record '" + name + "' is on another disk of a split zip archive");
        }
        if ((flags & 1) != 0) {
            throw new TorchFileException(file, "record '" + name + "' is encrypted; torch.save never encrypts");
        }
        return new Entry(name, flags, method, crc, compressedSize, size, localOffset);
    }

    private static long zip64Value(Path file, ByteBuffer directory, int at, int end, String name) throws TorchFileException {
        if (at + 8 > end) {
            throw corrupt(file, "record '" + name + "' lacks its 64-bit size or offset");
        }
        long value = directory.getLong(at);
        if (value < 0) {
            throw corrupt(file, "record '" + name + "' has a size or offset beyond 2^63");
        }
        return value;
    }

    /** The record named {@code name}, or empty. */
    Optional<Entry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Record names in directory order. */
    List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /**
     * Where the record's bytes begin in the file, from its local header; checks that the header
     * belongs to the record and that its {@code compressedSize} bytes end before the directory.
     */
    long dataOffset(Entry entry) throws IOException {
        long header = entry.localHeaderOffset();
        if (header > directoryStart - LOCAL_SIZE) {
            throw corrupt(file, "record '" + entry.name() + "' is said to start at byte " + header
                    + ", past the archive's data");
        }
        ByteBuffer local = readAt(file, channel, header, LOCAL_SIZE);
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw corrupt(file, "record '" + entry.name() + "' has no local header at byte " + header);
        }
        int nameLength = u16(local, 26);
        int extraLength = u16(local, 28);
        long data = header + LOCAL_SIZE + nameLength + extraLength;
        if (data > directoryStart || entry.compressedSize() > directoryStart - data) {
            throw corrupt(file, "record '" + entry.name() + "' (" + entry.compressedSize() + " bytes at byte " + data
                    + ") runs past the end of the archive's data (byte " + directoryStart + "); the file is truncated or damaged");
        }
        ByteBuffer localName = readAt(file, channel, header + LOCAL_SIZE, nameLength);
        if (!utf8(file, localName, 0, nameLength).equals(entry.name())) {
            throw corrupt(file, "the local header of record '" + entry.name() + "' names another record");
        }
        return data;
    }

    long fileSize() {
        return fileSize;
    }

    static ByteBuffer readAt(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new TorchFileException(file, "the file ended while reading it (was it truncated?)");
            }
        }
        return buffer.flip();
    }

    private static String utf8(Path file, ByteBuffer bytes, int at, int length) throws TorchFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.duplicate().position(at).limit(at + length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw corrupt(file, "a record name in its zip directory is not UTF-8");
        }
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & U32_MAX;
    }

    private static TorchFileException corrupt(Path file, String what) {
        return new TorchFileException(file, "is a damaged zip archive: " + what + ". Download or save it again.");
    }
}
