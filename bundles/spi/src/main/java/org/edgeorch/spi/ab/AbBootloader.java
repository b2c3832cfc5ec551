package org.edgeorch.spi.ab;

import org.edgeorch.spi.PluginException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The boot selection of an immutable A/B OS, kept in the bootloader's environment. Every change is one
 * atomic write: a power loss during it leaves the previous selection readable and bootable.
 *
 * <p>The bootloader spends a try of the slot it boots. The update agent therefore commits the booted slot
 * after every healthy boot (as {@code rauc status mark-good} does); a slot that is not committed is not
 * chosen again once its tries are spent, and the bootloader falls back to the other slot.
 */
@ConsumerType
public interface AbBootloader {

    /** The slot running now, as the bootloader told the kernel. */
    Slot booted() throws PluginException;

    /**
     * The slot the bootloader will choose on the next boot.
     *
     * @throws PluginException when no slot is bootable
     */
    Slot primary() throws PluginException;

    /** What the bootloader will do with the slot. */
    SlotState state(Slot slot) throws PluginException;

    /**
     * Gives the slot exactly one try on the next boot, with the running slot as the fallback.
     *
     * @throws PluginException when the slot is the running one, or the environment cannot be written
     */
    void armTrial(Slot slot) throws PluginException;

    /**
     * Makes the running slot the good primary: it is chosen first from now on, with its tries restored.
     *
     * @throws PluginException when the slot is not the one running: only a booted slot can be vouched for
     */
    void commit(Slot slot) throws PluginException;

    /**
     * The bootloader never chooses the slot again until it is armed anew; the other slot comes first.
     *
     * @throws PluginException when the other slot is not bootable either, since that would leave none
     */
    void markBad(Slot slot) throws PluginException;
}
