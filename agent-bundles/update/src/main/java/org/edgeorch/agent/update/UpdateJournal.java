package org.edgeorch.agent.update;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.southbound.DesiredOs;
import org.edgeorch.spi.southbound.UpdateReport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The update agent's journal: what each slot holds and the current run, in one JSON file replaced atomically
 * (write a temporary file, fsync it, rename over the journal, fsync the folder). A power loss leaves either
 * the previous journal or the new one, never a mix.
 */
final class UpdateJournal {

    static final String FILE = "journal.json";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * Everything the journal holds.
     *
     * @param slots the OS version each slot holds (absent: unknown or being overwritten)
     * @param run   the current or last run; null before the first
     */
    record Entry(Map<Slot, String> slots, Run run) {
        Entry {
            slots = slots == null ? Map.of() : Map.copyOf(slots);
        }

        Entry withSlot(Slot slot, String version) {
            Map<Slot, String> s = new EnumMap<>(Slot.class);
            s.putAll(slots);
            if (version == null) {
                s.remove(slot);
            } else {
                s.put(slot, version);
            }
            return new Entry(s, run);
        }

        Entry withRun(Run r) {
            return new Entry(slots, r);
        }
    }

    /**
     * One run.
     *
     * @param os         the desired OS as the orchestrator sent it (with the signed manifest)
     * @param from       the slot running when the run began
     * @param step       the step journaled last
     * @param written    bytes of the image in the new slot, synced to disk
     * @param downloadAt when the download may start (epoch ms; 0 until chosen)
     * @param report     the last report, sent with every sync until a newer one
     */
    record Run(DesiredOs os, Slot from, Step step, long written, long downloadAt, UpdateReport report) {
        Slot target() {
            return from.other();
        }

        Run at(Step s) {
            return new Run(os, from, s, written, downloadAt, report);
        }

        Run withWritten(long w) {
            return new Run(os, from, step, w, downloadAt, report);
        }

        Run withDownloadAt(long at) {
            return new Run(os, from, step, written, at, report);
        }

        Run withReport(UpdateReport r) {
            return new Run(os, from, step, written, downloadAt, r);
        }
    }

    private final Path dir;

    UpdateJournal(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(FILE + ".tmp"));
    }

    Optional<Entry> read() throws IOException {
        Path file = dir.resolve(FILE);
        return Files.exists(file) ? Optional.of(JSON.readValue(file.toFile(), Entry.class)) : Optional.empty();
    }

    void write(Entry entry) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the journal's folder " + dir + " cannot replace files atomically", e);
        }
        syncFolder();
    }

    /** Makes the rename durable: on Linux a folder opened for reading can be fsynced. */
    private void syncFolder() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems do not allow it; the rename is then as durable as they make it.
        }
    }
}
