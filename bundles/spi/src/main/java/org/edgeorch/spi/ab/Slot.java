package org.edgeorch.spi.ab;

/** One of the two OS slots; the name is the bootname the bootloader and the kernel command line use. */
public enum Slot {
    A, B;

    /** The slot that is not this one. */
    public Slot other() {
        return this == A ? B : A;
    }
}
