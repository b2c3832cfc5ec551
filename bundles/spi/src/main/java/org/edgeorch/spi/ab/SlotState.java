package org.edgeorch.spi.ab;

/**
 * What the bootloader will do with a slot.
 *
 * @param good       the slot is not marked bad: the bootloader may still choose it when it has tries left
 *                   (GRUB: {@code X_OK=1}; U-Boot, which only has a counter: {@code BOOT_X_LEFT > 0})
 * @param triesLeft  how many more boots the bootloader will attempt into the slot before skipping it; 0 after a
 *                   trial boot that was never committed
 */
public record SlotState(boolean good, int triesLeft) {

    public SlotState {
        if (triesLeft < 0) {
            throw new IllegalArgumentException("tries left cannot be negative: " + triesLeft);
        }
    }

    /** The bootloader would choose the slot if it came first in the boot order. */
    public boolean bootable() {
        return good && triesLeft > 0;
    }
}
