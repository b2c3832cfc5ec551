package org.edgeorch.observability.internal.alert;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.edgeorch.observability.Alerts.Receiver;
import org.edgeorch.observability.Alerts.ReceiverChange;
import org.edgeorch.observability.Alerts.ReceiverKind;
import org.edgeorch.observability.Alerts.ReceiverSpec;
import org.edgeorch.observability.Alerts.ReceiverTestResult;
import org.edgeorch.observability.Alerts.SecretState;
import org.edgeorch.observability.Alerts.Severity;
import org.edgeorch.platform.Inputs;
import org.edgeorch.store.Database;
import org.edgeorch.store.Sql;
import org.edgeorch.tenancy.Model.Project;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

/**
 * A project's receivers in {@code alert_receiver}: checked, stored with their secret sealed (the HMAC key of a webhook,
 * the password of an SMTP user), and shown with only whether a secret is set. Authorisation and audit are the
 * caller's ({@link AlertServiceImpl}).
 */
final class Receivers {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern MAIL = Pattern.compile("[^@\\s<>,\"]{1,64}@[A-Za-z0-9.-]{1,190}");
    private static final String COLUMNS = "name, kind, url, email_from, email_to, smtp_user, secret_sealed,"
            + " min_severity, created_at, updated_at";

    private final Database db;
    private final Clock clock;
    private final Notifier notifier;

    Receivers(Database db, Clock clock, Notifier notifier) {
        this.db = db;
        this.clock = clock;
        this.notifier = notifier;
    }

    private static Receiver row(ResultSet rs) throws SQLException {
        String to = rs.getString(5);
        return new Receiver(rs.getString(1), ReceiverKind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                to == null ? List.of() : List.of(to.split(",")), rs.getString(6), new SecretState(rs.getString(7) != null),
                Severity.valueOf(rs.getString(8)), Sql.instant(rs, 9), Sql.instant(rs, 10));
    }

    List<Receiver> list(Project p) {
        return db.inTransaction(c -> Sql.list(c, "SELECT " + COLUMNS + " FROM alert_receiver WHERE project_id = ?"
                + " ORDER BY name", Receivers::row, p.id()));
    }

    Receiver get(Project p, String name) {
        return db.inTransaction(c -> Sql.one(c, "SELECT " + COLUMNS + " FROM alert_receiver WHERE project_id = ? AND"
                + " name = ?", Receivers::row, p.id(), name)).orElseThrow(() -> notFound(name));
    }

    private static TenancyException notFound(String name) {
        return new TenancyException(Reason.NOT_FOUND, "no alert receiver " + Inputs.prefix(name) + " in the project");
    }

    Receiver create(Project p, ReceiverSpec spec) {
        if (spec == null) {
            throw new TenancyException(Reason.INVALID, "body", "a receiver needs a name, a kind and a url");
        }
        if (spec.name() == null || !NAME.matcher(spec.name()).matches()) {
            throw new TenancyException(Reason.INVALID, "name", "a receiver name is 1 to 63 lower-case letters, digits"
                    + " and '-', starting with a letter or digit (such as ops-pager)");
        }
        if (spec.kind() == null) {
            throw new TenancyException(Reason.INVALID, "kind", "kind is required: WEBHOOK, ALERTMANAGER or EMAIL");
        }
        Checked v = check(spec.kind(), spec.url(), spec.emailFrom(), spec.emailTo(), spec.smtpUser(), spec.secret());
        String id = UUID.randomUUID().toString();
        String sealed = notifier.seal(id, spec.secret());
        return db.inTransaction(c -> {
            if (Sql.one(c, "SELECT 1 FROM alert_receiver WHERE project_id = ? AND name = ?", rs -> 1, p.id(), spec.name())
                    .isPresent()) {
                throw new TenancyException(Reason.CONFLICT, "name", "receiver '" + spec.name() + "' already exists");
            }
            Sql.update(c, "INSERT INTO alert_receiver (id, project_id, name, kind, url, email_from, email_to, smtp_user,"
                    + " secret_sealed, min_severity, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, p.id(), spec.name(), spec.kind(), v.url(), v.from(), v.to(), v.user(), sealed,
                    spec.minSeverity() == null ? Severity.INFO : spec.minSeverity(), clock.instant(), clock.instant());
            return Sql.one(c, "SELECT " + COLUMNS + " FROM alert_receiver WHERE id = ?", Receivers::row, id).orElseThrow();
        });
    }

    private record Stored(String id, ReceiverKind kind, String url, String from, String to, String user, String sealed) {
    }

    Receiver update(Project p, String name, ReceiverChange change) {
        if (change == null) {
            throw new TenancyException(Reason.INVALID, "body", "a change names at least one field");
        }
        Stored s = db.inTransaction(c -> Sql.one(c, "SELECT id, kind, url, email_from, email_to, smtp_user, secret_sealed"
                + " FROM alert_receiver WHERE project_id = ? AND name = ?", rs -> new Stored(rs.getString(1),
                        ReceiverKind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)), p.id(), name)).orElseThrow(() -> notFound(name));
        String url = change.url() == null ? s.url() : change.url();
        String from = change.emailFrom() == null ? s.from() : change.emailFrom();
        List<String> to = change.emailTo() == null ? (s.to() == null ? null : List.of(s.to().split(",")))
                : change.emailTo();
        String user = change.smtpUser() == null ? s.user() : change.smtpUser().isEmpty() ? null : change.smtpUser();
        String secret = change.secret() == null || change.secret().isEmpty() ? null : change.secret();
        Checked v = check(s.kind(), url, from, to, user, secret);
        String sealed = change.secret() == null ? s.sealed() : secret == null ? null : notifier.seal(s.id(), secret);
        return db.inTransaction(c -> {
            Sql.update(c, "UPDATE alert_receiver SET url = ?, email_from = ?, email_to = ?, smtp_user = ?,"
                    + " secret_sealed = ?, min_severity = COALESCE(?, min_severity), updated_at = ? WHERE id = ?",
                    v.url(), v.from(), v.to(), v.user(), sealed, change.minSeverity(), clock.instant(), s.id());
            return Sql.one(c, "SELECT " + COLUMNS + " FROM alert_receiver WHERE id = ?", Receivers::row, s.id())
                    .orElseThrow();
        });
    }

    void delete(Project p, String name) {
        db.inTransaction(c -> {
            if (Sql.update(c, "DELETE FROM alert_receiver WHERE project_id = ? AND name = ?", p.id(), name) == 0) {
                throw notFound(name);
            }
            return null;
        });
    }

    ReceiverTestResult test(Project p, String name) {
        Notifier.Target t = db.inTransaction(c -> notifier.target(c, p.id(), name)).orElseThrow(() -> notFound(name));
        return notifier.test(t, name);
    }

    /** The receiver's fields as stored, once every one is checked for its kind. */
    private record Checked(String url, String from, String to, String user) {
    }

    private static Checked check(ReceiverKind kind, String url, String from, List<String> to, String user, String secret) {
        URI u = url(kind, url);
        String joined = null;
        if (kind == ReceiverKind.EMAIL) {
            if (to == null || to.isEmpty() || to.size() > 20) {
                throw new TenancyException(Reason.INVALID, "emailTo", "an EMAIL receiver sends to 1 to 20 addresses");
            }
            for (String a : to) {
                mailAddress("emailTo", a);
            }
            mailAddress("emailFrom", from);
            joined = String.join(",", to.stream().map(String::strip).toList());
            if (joined.length() > 1000) {
                throw new TenancyException(Reason.INVALID, "emailTo", "the addresses have at most 1000 characters together");
            }
            if (user != null && Inputs.nameProblem("smtpUser", user, 255) != null) {
                throw new TenancyException(Reason.INVALID, "smtpUser", Inputs.nameProblem("smtpUser", user, 255));
            }
            if (secret != null && user == null) {
                throw new TenancyException(Reason.INVALID, "secret", "an SMTP password needs an smtpUser");
            }
        } else {
            if (to != null && !to.isEmpty()) {
                throw new TenancyException(Reason.INVALID, "emailTo", "only an EMAIL receiver has recipients");
            }
            if (from != null) {
                throw new TenancyException(Reason.INVALID, "emailFrom", "only an EMAIL receiver has a sender");
            }
            if (user != null) {
                throw new TenancyException(Reason.INVALID, "smtpUser", "only an EMAIL receiver has an SMTP user");
            }
        }
        if (kind == ReceiverKind.ALERTMANAGER && secret != null) {
            throw new TenancyException(Reason.INVALID, "secret", "an ALERTMANAGER receiver has no secret");
        }
        if (secret != null && (secret.length() < (kind == ReceiverKind.WEBHOOK ? 16 : 1) || secret.length() > 512)) {
            throw new TenancyException(Reason.INVALID, "secret", "a webhook's HMAC key has 16 to 512 characters, an"
                    + " SMTP password 1 to 512");
        }
        return new Checked(u.toString(), from == null ? null : from.strip(), joined, user);
    }

    private static URI url(ReceiverKind kind, String url) {
        URI u;
        try {
            u = url == null || url.length() > 1000 ? null : new URI(url.strip());
        } catch (URISyntaxException e) {
            u = null;
        }
        boolean ok = u != null && u.getHost() != null && u.getUserInfo() == null && (kind == ReceiverKind.EMAIL
                ? "smtp".equals(u.getScheme()) && (u.getPath() == null || u.getPath().isEmpty()) && u.getQuery() == null
                : "http".equals(u.getScheme()) || "https".equals(u.getScheme()));
        if (!ok) {
            throw new TenancyException(Reason.INVALID, "url", "url must be an absolute "
                    + (kind == ReceiverKind.EMAIL ? "smtp://host[:port]" : "http or https") + " URL with a host and no"
                    + " user info, at most 1000 characters (" + Inputs.prefix(url) + ")");
        }
        return u;
    }

    private static void mailAddress(String field, String a) {
        if (a == null || !MAIL.matcher(a.strip()).matches()) {
            throw new TenancyException(Reason.INVALID, field, field + " must be a mail address such as ops@example.com ("
                    + Inputs.prefix(a) + ")");
        }
    }
}
