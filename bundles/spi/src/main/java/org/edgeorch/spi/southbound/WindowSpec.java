package org.edgeorch.spi.southbound;

/**
 * A maintenance window as the node receives it, so it acts on time even while the orchestrator is
 * unreachable. Either single ({@code start}, optional {@code end}) or repeated ({@code cron}, five fields,
 * with {@code zone} and {@code duration}).
 *
 * @param name     the window's name, for reports
 * @param start    ISO-8601 instant (single windows)
 * @param end      ISO-8601 instant, or null for open-ended (single windows)
 * @param cron     five-field cron expression, UNIX semantics (repeated windows)
 * @param zone     IANA time zone of the cron expression, for example {@code Europe/Paris}
 * @param duration ISO-8601 duration each occurrence lasts, for example {@code PT2H}
 */
public record WindowSpec(String name, String start, String end, String cron, String zone, String duration) {
}
