package org.edgeorch.plugin.uboot.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The U-Boot environment as {@code fw_printenv}/{@code fw_setenv} (libubootenv) and U-Boot itself
 * read it: a little-endian CRC32 over the data, then {@code key=value} strings each ended by NUL, an
 * empty string to finish. With two copies (redundant environment) a flag byte follows the CRC; the
 * copy with the newer flag is current and a write goes to the other one, so an interrupted write
 * leaves the current copy intact.
 *
 * @param copies one copy, or two for a redundant environment
 */
public record UbootEnvironment(List<Copy> copies) {

    /** Where one copy lives: a file or block device, the offset and the size of the environment. */
    public record Copy(Path device, long offset, int size) {
    }

    public UbootEnvironment {
        if (copies.isEmpty() || copies.size() > 2) {
            throw new IllegalArgumentException("a U-Boot environment has one or two copies, not " + copies.size());
        }
        copies = List.copyOf(copies);
    }

    /**
     * The environment as {@code fw_printenv} finds it: from an {@code fw_env.config} file, one copy per line
     * ({@code device offset size [sector-size [sectors]]}, numbers decimal or 0x-hex, {@code #} comments).
     *
     * @throws IOException when the file cannot be read or a line is not of that form
     */
    public static UbootEnvironment fromConfig(Path config) throws IOException {
        List<Copy> copies = new java.util.ArrayList<>();
        int number = 0;
        for (String line : java.nio.file.Files.readAllLines(config)) {
            number++;
            String text = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            if (text.isBlank()) {
                continue;
            }
            String[] f = text.strip().split("\\s+");
            try {
                if (f.length < 3) {
                    throw new NumberFormatException("needs a device, an offset and a size");
                }
                copies.add(new Copy(Path.of(f[0]), Long.decode(f[1]), Math.toIntExact(Long.decode(f[2]))));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IOException(config + " line " + number + " is not 'device offset size': " + line.strip(), e);
            }
        }
        try {
            return new UbootEnvironment(copies);
        } catch (IllegalArgumentException e) {
            throw new IOException(config + ": " + e.getMessage(), e);
        }
    }

    private boolean redundant() {
        return copies.size() == 2;
    }

    private int header() {
        return redundant() ? 5 : 4;
    }

    /** A copy as read: valid when its CRC matches. */
    private record Image(int index, boolean valid, int flag, Map<String, String> vars) {
    }

    /** Reads the current variables. */
    public Map<String, String> read() throws IOException {
        return current().vars();
    }

    /** Replaces all variables: written to the non-current copy (redundant) or in place (single). */
    public void write(Map<String, String> vars) throws IOException {
        Image current = redundant() ? currentOrNull() : null;
        int target = current == null ? 0 : 1 - current.index();
        int flag = current == null ? 1 : (current.flag() + 1) & 0xff;
        Copy copy = copies.get(target);
        byte[] image = format(vars, copy.size(), flag);
        try (FileChannel ch = FileChannel.open(copy.device(), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(image), copy.offset());
            ch.force(true);
        }
    }

    /** Sets some variables and keeps the others. */
    public void update(Map<String, String> changes) throws IOException {
        Map<String, String> vars = new TreeMap<>(read());
        vars.putAll(changes);
        write(vars);
    }

    private Image current() throws IOException {
        Image c = currentOrNull();
        if (c == null) {
            throw new IOException("no valid U-Boot environment (bad CRC) in " + copies);
        }
        return c;
    }

    private Image currentOrNull() throws IOException {
        List<Image> valid = new ArrayList<>();
        for (int i = 0; i < copies.size(); i++) {
            Image img = load(i);
            if (img.valid()) {
                valid.add(img);
            }
        }
        if (valid.size() < 2) {
            return valid.isEmpty() ? null : valid.get(0);
        }
        Image a = valid.get(0);
        Image b = valid.get(1);
        // Flags count up and wrap at 255: the newer copy is one step ahead of the other.
        return ((b.flag() - a.flag()) & 0xff) == 1 ? b : a;
    }

    private Image load(int index) throws IOException {
        Copy copy = copies.get(index);
        ByteBuffer buf = ByteBuffer.allocate(copy.size());
        try (FileChannel ch = FileChannel.open(copy.device(), StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf, copy.offset() + buf.position()) > 0) {
                // read until full or end of file
            }
        }
        byte[] bytes = buf.array();
        if (buf.position() < copy.size()) {
            return new Image(index, false, 0, Map.of());
        }
        int crc = ByteBuffer.wrap(bytes, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        CRC32 computed = new CRC32();
        computed.update(bytes, header(), bytes.length - header());
        if ((int) computed.getValue() != crc) {
            return new Image(index, false, 0, Map.of());
        }
        int flag = redundant() ? bytes[4] & 0xff : 0;
        return new Image(index, true, flag, parse(bytes, header()));
    }

    private static Map<String, String> parse(byte[] bytes, int from) throws IOException {
        Map<String, String> vars = new TreeMap<>();
        int i = from;
        while (i < bytes.length && bytes[i] != 0) {
            int end = i;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            String entry = new String(bytes, i, end - i, StandardCharsets.UTF_8);
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IOException("malformed U-Boot environment entry '" + entry + "'");
            }
            vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            i = end + 1;
        }
        return vars;
    }

    private byte[] format(Map<String, String> vars, int size, int flag) throws IOException {
        byte[] image = new byte[size];
        int pos = header();
        for (Map.Entry<String, String> e : new TreeMap<>(vars).entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().contains("=") || e.getKey().indexOf(0) >= 0 || e.getValue().indexOf(0) >= 0) {
                throw new IllegalArgumentException("'" + e.getKey() + "' cannot be stored in a U-Boot environment");
            }
            byte[] entry = (e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8);
            if (pos + entry.length + 2 > size) {
                throw new IOException("the variables do not fit in a U-Boot environment of " + size + " bytes");
            }
            System.arraycopy(entry, 0, image, pos, entry.length);
            pos += entry.length + 1;
        }
        Arrays.fill(image, pos + 1, size, (byte) 0xff);
        if (redundant()) {
            image[4] = (byte) flag;
        }
        CRC32 crc = new CRC32();
        crc.update(image, header(), size - header());
        ByteBuffer.wrap(image, 0, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return image;
    }
}
