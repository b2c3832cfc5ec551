package org.edgeorch.agent.update.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.edgeorch.agent.update.AbUpdater;
import org.edgeorch.agent.update.Step;
import org.edgeorch.spi.ab.Slot;
import org.edgeorch.spi.ab.SlotState;
import org.edgeorch.spi.southbound.UpdateReport;
import org.edgeorch.spi.southbound.UpdateStatus;
import org.junit.jupiter.api.Test;

class UpdateStatusCommandTest {

    @Test
    void showsTheSlotsTheBootStateAndTheWriteInProgress() {
        AbUpdater.View view = new AbUpdater.View(Slot.A, Slot.A, Map.of(Slot.A, new SlotState(true, 1), Slot.B, new SlotState(false, 0)),
                Map.of(Slot.A, "1.0.0"), null, Step.WRITING, "2.0.0", Slot.B, 3L << 20, 12L << 20,
                new UpdateReport("run-1", "2.0.0", UpdateStatus.DOWNLOADING, null, "writing slot B from /img", 20, 0));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UpdateStatusCommand.print(view, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertEquals("""
                Slot  OS version       Bootloader            \s
                A     1.0.0            good, 1 try            booted next boot
                B     -                bad, 0 tries          \s
                Update      WRITING to 2.0.0 (slot B)
                Progress    [#######-----------------------]  25%  3 of 12 MiB
                Reported    DOWNLOADING 20% at 1970-01-01T00:00:00Z
                            writing slot B from /img
                """, out.toString(StandardCharsets.UTF_8));
    }
}
