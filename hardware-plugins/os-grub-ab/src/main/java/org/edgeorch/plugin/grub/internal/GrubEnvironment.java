package org.edgeorch.plugin.grub.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GRUB environment block: a 1024-byte file starting with {@code # GRUB Environment Block}, one
 * {@code key=value} per line, padded with {@code #}. In values, GRUB escapes backslash and newline with
 * a backslash. This is the file {@code grub-editenv} edits and {@code load_env}/{@code save_env} use,
 * so the RAUC-style variables (ORDER, A_OK, A_TRY, B_OK, B_TRY) written here drive the boot.
 */
public final class GrubEnvironment {

    static final int SIZE = 1024;
    static final String HEADER = "# GRUB Environment Block\n";

    private GrubEnvironment() {
    }

    /** Reads the variables, in file order. */
    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static Map<String, String> parse(byte[] block) throws IOException {
        String text = new String(block, StandardCharsets.UTF_8);
        if (block.length != SIZE || !text.startsWith(HEADER)) {
            throw new IOException("not a GRUB environment block: expected " + SIZE + " bytes starting with '"
                    + HEADER.strip() + "', got " + block.length + " bytes");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int end = lineEnd(text, i);
            String line = text.substring(i, end);
            i = end + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IOException("malformed line in GRUB environment block: '" + line + "'");
            }
            vars.put(line.substring(0, eq), unescape(line.substring(eq + 1)));
        }
        return vars;
    }

    /** The end of the line starting at {@code from}: the first newline not escaped by a backslash. */
    private static int lineEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '\n') {
                return i;
            }
        }
        return text.length();
    }

    static byte[] format(Map<String, String> vars) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER);
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.contains("=") || key.contains("\n") || key.startsWith("#")) {
                throw new IllegalArgumentException("'" + key + "' is not a GRUB environment variable name");
            }
            sb.append(key).append('=').append(escape(e.getValue())).append('\n');
        }
        byte[] content = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (content.length > SIZE) {
            throw new IOException("the variables take " + content.length + " bytes; a GRUB environment block holds " + SIZE);
        }
        byte[] block = Arrays.copyOf(content, SIZE);
        Arrays.fill(block, content.length, SIZE, (byte) '#');
        return block;
    }

    /**
     * Replaces the file's variables atomically: the new block is written and synced beside the file,
     * then renamed over it, so a power loss leaves either the old or the new block, never a torn one.
     */
    public static void write(Path file, Map<String, String> vars) throws IOException {
        write(file, vars, tmp -> { });
    }

    /** A point a test can stop a write at, to show what a power loss there leaves. */
    interface BeforeRename {
        void reached(Path syncedTemporaryFile) throws IOException;
    }

    static void write(Path file, Map<String, String> vars, BeforeRename beforeRename) throws IOException {
        byte[] block = format(vars);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".new");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(block));
                ch.force(true);
            }
            beforeRename.reached(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Sets some variables, keeping the others. */
    public static void update(Path file, Map<String, String> changes) throws IOException {
        update(file, changes, tmp -> { });
    }

    static void update(Path file, Map<String, String> changes, BeforeRename beforeRename) throws IOException {
        Map<String, String> vars = Files.exists(file) ? read(file) : new LinkedHashMap<>();
        vars.putAll(changes);
        write(file, vars, beforeRename);
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\\n");
    }

    private static String unescape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                sb.append(value.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
