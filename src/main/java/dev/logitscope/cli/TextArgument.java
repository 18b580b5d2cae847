package dev.logitscope.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A text given either inline ({@code --prompt TEXT}) or as a file ({@code --prompt-file PATH}, {@code -} = stdin). */
final class TextArgument {
    private TextArgument() {}

    /**
     * The text of whichever of the two options was given (null if neither).
     *
     * @throws UserException both were given, or the file cannot be read as UTF-8
     */
    static String resolve(String inline, String inlineOption, Path file, String fileOption) throws UserException {
        if (file == null) {
            return inline;
        }
        if (inline != null) {
            throw new UserException("Give " + inlineOption + " or " + fileOption + ", not both.");
        }
        return dropFinalLineBreak(read(file, fileOption));
    }

    private static String read(Path file, String option) throws UserException {
        byte[] bytes;
        try {
            if (file.toString().equals("-")) {
                InputStream in = System.in;
                bytes = in.readAllBytes();
            } else {
                bytes = Files.readAllBytes(file);
            }
        } catch (NoSuchFileException e) {
            throw new UserException(option + ": " + file + " does not exist.");
        } catch (AccessDeniedException e) {
            throw new UserException(option + ": cannot read " + file + ": permission denied.");
        } catch (IOException e) {
            throw new UserException(option + ": cannot read " + file + ": " + e.getMessage());
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (MalformedInputException e) {
            throw new UserException(option + ": " + file + " is not UTF-8 text (invalid byte at offset "
                    + firstInvalidByte(bytes) + "). Save it as UTF-8.");
        } catch (CharacterCodingException e) {
            throw new UserException(option + ": " + file + " is not UTF-8 text. Save it as UTF-8.");
        }
    }

    /** A file usually ends with a line break its author did not mean as part of the text. */
    private static String dropFinalLineBreak(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** Byte offset of the first malformed UTF-8 sequence. */
    static long firstInvalidByte(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : -1;
    }
}
