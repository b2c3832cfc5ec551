package org.edgeorch.spi.ab;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.edgeorch.spi.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/** Where the slots' images are written: block devices on a host, image files in tests and simulators. */
@ConsumerType
public interface SlotDevice {

    /** The block device or image file that holds the slot. */
    Path path(Slot slot);

    /** How many bytes an image written into the slot may take. */
    long capacity(Slot slot) throws PluginException;

    /**
     * Opens the slot for writing, keeping what it holds so that an interrupted write can resume. The caller
     * positions the channel, writes, syncs ({@link FileChannel#force}) and closes it. Never called for the
     * running slot.
     */
    FileChannel openForWrite(Slot slot) throws PluginException;
}
