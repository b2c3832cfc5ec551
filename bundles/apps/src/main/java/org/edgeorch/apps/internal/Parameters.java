package org.edgeorch.apps.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.edgeorch.apps.Apps.ParameterTemplate;
import org.edgeorch.apps.Apps.ParameterType;

/** Checks parameter templates, and values against them: every problem is a {@link FieldError} naming its field. */
final class Parameters {

    static final int MAX_PARAMETERS = 100;
    static final int MAX_VALUE = 4000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private Parameters() {
    }

    /** One field at fault and why. */
    record FieldError(String field, String message) {
    }

    /** Problems of a version's template (fields {@code manifest.parameters[i].…}). */
    static List<FieldError> checkTemplate(List<ParameterTemplate> template) {
        List<FieldError> errors = new ArrayList<>();
        if (template.size() > MAX_PARAMETERS) {
            errors.add(new FieldError("manifest.parameters", "at most " + MAX_PARAMETERS + " parameters"));
            return errors;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < template.size(); i++) {
            ParameterTemplate p = template.get(i);
            String f = "manifest.parameters[" + i + "]";
            if (p == null) {
                errors.add(new FieldError(f, "a parameter is required here, not null"));
                continue;
            }
            if (p.name() == null || !NAME.matcher(p.name()).matches()) {
                errors.add(new FieldError(f + ".name", "a parameter name is 1-63 characters of A-Z, a-z, 0-9 and '_',"
                        + " not starting with a digit"));
                continue;
            }
            if (!seen.add(p.name())) {
                errors.add(new FieldError(f + ".name", "parameter '" + p.name() + "' is declared twice"));
            }
            if (p.type() == null) {
                errors.add(new FieldError(f + ".type", "the type is required: STRING, INTEGER, BOOLEAN or ENUM"));
                continue;
            }
            if ((p.min() != null || p.max() != null) && p.type() != ParameterType.INTEGER) {
                errors.add(new FieldError(f + ".min", "min and max apply to INTEGER parameters only"));
            }
            if (p.min() != null && p.max() != null && p.min() > p.max()) {
                errors.add(new FieldError(f + ".max", "max (" + p.max() + ") is below min (" + p.min() + ")"));
            }
            if (p.pattern() != null) {
                if (p.type() != ParameterType.STRING) {
                    errors.add(new FieldError(f + ".pattern", "a pattern applies to STRING parameters only"));
                } else if (p.pattern().length() > 1000) {
                    errors.add(new FieldError(f + ".pattern", "a pattern is at most 1000 characters"));
                } else {
                    try {
                        Pattern.compile(p.pattern());
                    } catch (PatternSyntaxException e) {
                        errors.add(new FieldError(f + ".pattern", "not a regular expression: " + e.getDescription()));
                    }
                }
            }
            if (p.type() == ParameterType.ENUM && p.values().isEmpty()) {
                errors.add(new FieldError(f + ".values", "an ENUM parameter lists the values it allows"));
            }
            if (p.type() != ParameterType.ENUM && !p.values().isEmpty()) {
                errors.add(new FieldError(f + ".values", "values apply to ENUM parameters only"));
            }
            if (p.secret() && p.defaultValue() != null) {
                errors.add(new FieldError(f + ".default", "a secret parameter has no default: the manifest is public,"
                        + " give the value in a profile or deployment"));
            }
            if (p.defaultValue() != null && errors.isEmpty()) {
                String problem = problem(p, p.defaultValue());
                if (problem != null) {
                    errors.add(new FieldError(f + ".default", "the default " + problem));
                }
            }
        }
        return errors;
    }

    /**
     * Problems of values given for a template (fields {@code prefix.NAME}): unknown names, wrong types, failed
     * validations. Null values are refused; whether mandatory ones are present is {@link #missing}'s question.
     */
    static List<FieldError> checkValues(List<ParameterTemplate> template, Map<String, String> values, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, ParameterTemplate> byName = byName(template);
        for (Map.Entry<String, String> e : values.entrySet()) {
            String field = prefix + "." + shorten(e.getKey());
            ParameterTemplate p = e.getKey() == null ? null : byName.get(e.getKey());
            if (p == null) {
                errors.add(new FieldError(field, "the version has no parameter of that name"
                        + (byName.isEmpty() ? "" : "; it has " + String.join(", ", byName.keySet()))));
            } else if (e.getValue() == null) {
                errors.add(new FieldError(field, "a value is required; leave the parameter out to use the default"));
            } else {
                String problem = problem(p, e.getValue());
                if (problem != null) {
                    errors.add(new FieldError(field, "the value " + problem));
                }
            }
        }
        return errors;
    }

    /** Mandatory parameters without a value among these resolved values (fields {@code prefix.NAME}). */
    static List<FieldError> missing(List<ParameterTemplate> template, Map<String, String> resolved, String prefix) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterTemplate p : template) {
            if (p.mandatory() && resolved.get(p.name()) == null) {
                errors.add(new FieldError(prefix + "." + p.name(), "parameter '" + p.name() + "' is mandatory and has"
                        + " no value: give one in the profile or the deployment"));
            }
        }
        return errors;
    }

    /** Defaults, then the profile's values, then the overrides. */
    static Map<String, String> resolve(List<ParameterTemplate> template, Map<String, String> profile,
                                       Map<String, String> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        for (ParameterTemplate p : template) {
            String value = overrides.containsKey(p.name()) ? overrides.get(p.name())
                    : profile.containsKey(p.name()) ? profile.get(p.name()) : p.defaultValue();
            if (value != null) {
                out.put(p.name(), value);
            }
        }
        return out;
    }

    static Map<String, ParameterTemplate> byName(List<ParameterTemplate> template) {
        Map<String, ParameterTemplate> byName = new LinkedHashMap<>();
        template.forEach(p -> byName.put(p.name(), p));
        return byName;
    }

    /** What is wrong with this value for this parameter, as the end of a sentence starting "the value", or null. */
    static String problem(ParameterTemplate p, String value) {
        if (value.length() > MAX_VALUE) {
            return "is " + value.length() + " characters; at most " + MAX_VALUE;
        }
        switch (p.type()) {
            case INTEGER -> {
                long n;
                try {
                    n = Long.parseLong(value.strip());
                } catch (NumberFormatException e) {
                    return "must be an integer" + (p.secret() ? "" : ", not '" + shorten(value) + "'");
                }
                if (p.min() != null && n < p.min()) {
                    return "must be at least " + p.min();
                }
                if (p.max() != null && n > p.max()) {
                    return "must be at most " + p.max();
                }
            }
            case BOOLEAN -> {
                if (!value.equals("true") && !value.equals("false")) {
                    return "must be true or false";
                }
            }
            case ENUM -> {
                if (!p.values().contains(value)) {
                    return "must be one of " + String.join(", ", p.values());
                }
            }
            case STRING -> {
                if (p.pattern() != null && !Pattern.compile(p.pattern()).matcher(value).matches()) {
                    return "does not match the pattern " + p.pattern();
                }
            }
        }
        return null;
    }

    private static String shorten(String text) {
        return text == null ? "null" : text.length() <= 63 ? text : text.substring(0, 63) + "…";
    }
}
