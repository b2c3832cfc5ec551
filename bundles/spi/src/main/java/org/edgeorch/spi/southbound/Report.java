package org.edgeorch.spi.southbound;

/**
 * Something that happened on the host, kept by the agent until the orchestrator acknowledges it.
 *
 * @param sequence increasing per host, never reused; makes re-sent reports harmless
 * @param at       when it happened, epoch milliseconds (host clock)
 * @param kind     short upper-case word, for example {@code STATUS} or {@code ENROLLED}
 * @param detail   free text, at most 1000 characters
 */
public record Report(long sequence, long at, String kind, String detail) {
}
