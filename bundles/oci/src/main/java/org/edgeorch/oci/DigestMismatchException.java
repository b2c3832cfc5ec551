package org.edgeorch.oci;

import java.io.IOException;

/** The registry served bytes that do not hash to the digest they were asked for by. */
public class DigestMismatchException extends IOException {

    private static final long serialVersionUID = 1L;

    public DigestMismatchException(String message) {
        super(message);
    }
}
