package org.edgeorch.spi.southbound;

/**
 * A certificate for a host, from enrolment or renewal.
 *
 * @param certificate         the host's certificate, PEM
 * @param caCertificate       the authority that signed it and the orchestrator's TLS certificate, PEM
 * @param notAfter            expiry of {@code certificate}, epoch milliseconds
 * @param syncIntervalSeconds how often to sync
 */
public record EnrolResponse(String project, String host, String certificate, String caCertificate, long notAfter,
                            int syncIntervalSeconds) {
}
