package org.edgeorch.spi.southbound;

/** A host asking, with its current certificate, for a new one for a new key (PKCS#10 PEM, ECDSA P-256). */
public record RenewRequest(String csr) {
}
