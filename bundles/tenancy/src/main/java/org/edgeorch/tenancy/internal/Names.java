package org.edgeorch.tenancy.internal;

import java.util.regex.Pattern;

import org.edgeorch.platform.Inputs;
import org.edgeorch.tenancy.TenancyException;
import org.edgeorch.tenancy.TenancyException.Reason;

/** Input rules for names, checked before anything touches the database. */
final class Names {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,62}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 256;

    private Names() {
    }

    static String slug(String field, String value) {
        TenancyException.invalidIf(field, Inputs.nameRuleProblem(field, value));
        return value;
    }

    static String username(String value) {
        if (value == null || !USERNAME.matcher(value).matches()) {
            throw new TenancyException(Reason.INVALID, "username", "username '" + Inputs.prefix(value)
                    + "' must be 1-63 characters of letters, digits, '.', '_', '@' and '-'");
        }
        return value;
    }

    static String displayName(String field, String value, String fallback) {
        String v = value == null || value.isBlank() ? fallback : value.strip();
        TenancyException.invalidIf(field, Inputs.textProblem(field, v, 255));
        return v;
    }

    static char[] password(char[] value) {
        if (value == null || value.length < MIN_PASSWORD || value.length > MAX_PASSWORD) {
            throw new TenancyException(Reason.INVALID, "password",
                    "password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        return value;
    }
}
