package org.edgeorch.windows.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * The start instants of a five-field UNIX cron expression read in a time zone's local time.
 *
 * <p>cron-utils only ever sees wall-clock times (as {@link ZoneOffset#UTC} date-times, a zone with no
 * daylight saving), so each local match exists exactly once; this class alone turns a local match into
 * an instant. That keeps the daylight-saving rules ours and visible:
 * <ul>
 * <li>a local time in a spring-forward gap starts at the transition, the first instant after the gap;
 * <li>a local time that occurs twice on a fall-back day starts at its first occurrence (earlier offset).
 * </ul>
 * Both mappings keep order (a later local time never gives an earlier instant), which the searches rely on.
 */
public final class CronSchedule {

    private static final CronParser UNIX_PARSER = new CronParser(unixDefinition());
    /** Fixed, not "now": only used to reject expressions that can never match, such as 30 February. */
    private static final ZonedDateTime VALIDATION_REFERENCE = ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private final ExecutionTime executionTime;
    private final ZoneRules rules;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime executionTime, ZoneId zone) {
        this.executionTime = executionTime;
        this.zone = zone;
        this.rules = zone.getRules();
    }

    private static CronDefinition unixDefinition() {
        return CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    }

    /** Parses {@code cron}; throws {@link IllegalArgumentException} naming the expression and the problem. */
    public static CronSchedule parse(String cron, ZoneId zone) {
        ExecutionTime executionTime;
        try {
            executionTime = ExecutionTime.forCron(UNIX_PARSER.parse(cron).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid cron expression '" + cron + "': " + e.getMessage()
                    + "; expected five fields: minute hour day-of-month month day-of-week, e.g. '0 2 * * 1-5'", e);
        }
        if (executionTime.nextExecution(VALIDATION_REFERENCE).isEmpty()) {
            throw new IllegalArgumentException("cron expression '" + cron + "' never matches a real date (such as 30 February)");
        }
        return new CronSchedule(executionTime, zone);
    }

    /** The latest start at or before {@code now}, if any. */
    public Optional<Instant> lastStartAtOrBefore(Instant now) {
        ZonedDateTime wall = wallClock(now);
        ZonedDateTime cursor = wall;
        Instant best = null;
        if (executionTime.isMatch(wall)) {
            best = toInstant(wall);
        } else {
            Optional<ZonedDateTime> previous = executionTime.lastExecution(wall);
            if (previous.isPresent()) {
                cursor = previous.get();
                best = toInstant(cursor);
            }
        }
        // In the second pass of a fall-back hour, local times after now's wall clock still map to the
        // first pass, i.e. before now; walk over them (at most an hour of matches).
        while (true) {
            Optional<ZonedDateTime> next = executionTime.nextExecution(cursor);
            if (next.isEmpty() || toInstant(next.get()).isAfter(now)) {
                return Optional.ofNullable(best);
            }
            cursor = next.get();
            best = toInstant(cursor);
        }
    }

    /** The first start strictly after {@code instant}, if any. */
    public Optional<Instant> firstStartAfter(Instant instant) {
        ZonedDateTime cursor = wallClock(instant);
        while (true) {
            Optional<ZonedDateTime> next = executionTime.nextExecution(cursor);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Instant start = toInstant(next.get());
            if (start.isAfter(instant)) {
                return Optional.of(start);
            }
            cursor = next.get();
        }
    }

    /** {@code instant}'s local date-time in the zone, to the minute (cron's resolution), as a UTC date-time. */
    private ZonedDateTime wallClock(Instant instant) {
        return LocalDateTime.ofInstant(instant, zone).truncatedTo(ChronoUnit.MINUTES).atZone(ZoneOffset.UTC);
    }

    private Instant toInstant(ZonedDateTime wallClock) {
        LocalDateTime local = wallClock.toLocalDateTime();
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        // Not in a gap: either one valid offset, or a fall-back overlap where atZone takes the earlier one.
        return local.atZone(zone).toInstant();
    }
}
