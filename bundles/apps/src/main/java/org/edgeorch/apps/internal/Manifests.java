package org.edgeorch.apps.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.edgeorch.platform.Inputs;
import org.edgeorch.apps.Apps.AppManifest;
import org.edgeorch.apps.Apps.Artifact;
import org.edgeorch.apps.Apps.ParameterType;
import org.edgeorch.apps.Apps.RuntimeKind;
import org.edgeorch.apps.internal.Parameters.FieldError;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Reads and checks an application version's manifest; every problem names its field under {@code manifest}. */
public final class Manifests {

    static final int MAX_CHARS = 32_000;
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]{0,127}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*){0,7}");
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5}):([0-9]{1,5})(/tcp|/udp)?");

    private Manifests() {
    }

    /** The manifest, or the problems that make it unacceptable (never both). */
    record Read(AppManifest manifest, List<FieldError> errors) {
    }

    /**
     * The manifest, for the publishers (which sign it): the same checks as a version's publication.
     *
     * @throws IllegalArgumentException naming each field at fault (at most ten)
     */
    public static AppManifest require(String text) {
        Read read = read(text);
        if (!read.errors().isEmpty()) {
            throw new IllegalArgumentException(read.errors().stream().limit(10).map(e -> e.field() + ": " + e.message())
                    .collect(Collectors.joining("; ")));
        }
        return read.manifest();
    }

    static Read read(String text) {
        if (text == null || text.isBlank()) {
            return failed("manifest", "the version's manifest (JSON, exactly as signed) is required");
        }
        if (text.length() > MAX_CHARS) {
            return failed("manifest", "the manifest is " + text.length() + " characters; at most " + MAX_CHARS);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return failed("manifest", "the manifest is not JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")");
        }
        if (!(tree instanceof ObjectNode object)) {
            return failed("manifest", "the manifest is a JSON object");
        }
        JsonNode runtime = object.get("runtime");
        if (runtime == null || !runtime.isTextual() || !runtimes().contains(runtime.asText())) {
            return failed("manifest.runtime", "the runtime is required, one of " + String.join(", ", runtimes()));
        }
        List<FieldError> typeErrors = enumFields(object);
        if (!typeErrors.isEmpty()) {
            return new Read(null, typeErrors);
        }
        AppManifest m;
        try {
            m = JSON.treeToValue(object, AppManifest.class);
        } catch (UnrecognizedPropertyException e) {
            return failed("manifest" + path(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            return failed("manifest" + path(e), "has the wrong type");
        } catch (JsonProcessingException e) {
            return failed("manifest", "the manifest cannot be read");
        }
        List<FieldError> errors = check(m);
        return errors.isEmpty() ? new Read(m, List.of()) : new Read(null, errors);
    }

    private static List<FieldError> enumFields(ObjectNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode parameters = object.get("parameters");
        if (parameters != null && parameters.isArray()) {
            Set<String> types = java.util.Arrays.stream(ParameterType.values()).map(Enum::name).collect(Collectors.toSet());
            for (int i = 0; i < parameters.size(); i++) {
                JsonNode type = parameters.get(i).get("type");
                if (type != null && !(type.isTextual() && types.contains(type.asText()))) {
                    errors.add(new FieldError("manifest.parameters[" + i + "].type",
                            "the type is one of STRING, INTEGER, BOOLEAN or ENUM"));
                }
            }
        }
        return errors;
    }

    private static List<FieldError> check(AppManifest m) {
        List<FieldError> errors = new ArrayList<>();
        if (m.schemaVersion() != 1) {
            errors.add(new FieldError("manifest.schemaVersion", "schemaVersion 1 is the one this orchestrator reads"));
        }
        String application = Inputs.nameRuleProblem("the application's name", m.application());
        if (application != null) {
            errors.add(new FieldError("manifest.application", application));
        }
        if (m.version() == null || !VERSION.matcher(m.version()).matches()) {
            errors.add(new FieldError("manifest.version", "the version is 1-128 characters of A-Z, a-z, 0-9 and"
                    + " '.+_-', starting with a letter or digit (semantic versions: 1.2.3)"));
        }
        String description = Inputs.textProblem("the description", m.description(), 255);
        if (description != null) {
            errors.add(new FieldError("manifest.description", description));
        }
        if (m.artifacts().isEmpty()) {
            errors.add(new FieldError("manifest.artifacts", "a version has at least one artifact, pinned by digest"));
        }
        if (m.artifacts().size() > 16) {
            errors.add(new FieldError("manifest.artifacts", "at most 16 artifacts"));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < m.artifacts().size() && i < 16; i++) {
            Artifact a = m.artifacts().get(i);
            String f = "manifest.artifacts[" + i + "]";
            if (a == null) {
                errors.add(new FieldError(f, "an artifact is required here, not null"));
                continue;
            }
            String artifact = Inputs.nameRuleProblem("an artifact's name", a.name());
            if (artifact != null) {
                errors.add(new FieldError(f + ".name", artifact));
            } else if (!names.add(a.name())) {
                errors.add(new FieldError(f + ".name", "artifact '" + a.name() + "' is listed twice"));
            }
            if (a.repository() == null || a.repository().length() > 255 || !REPOSITORY.matcher(a.repository()).matches()) {
                errors.add(new FieldError(f + ".repository", "a repository of the release service, for example"
                        + " apps/web (lower-case path components)"));
            }
            if (a.digest() == null || !DIGEST.matcher(a.digest()).matches()) {
                errors.add(new FieldError(f + ".digest", "artifacts are pinned by digest: sha256: and 64 lower-case"
                        + " hex digits"));
            }
        }
        if (m.runtime() == RuntimeKind.OSGI && m.container() != null) {
            errors.add(new FieldError("manifest.container", "an OSGI version has no container spec"));
        }
        if (m.container() != null) {
            if (m.container().command().size() > 32
                    || m.container().command().stream().anyMatch(c -> c == null || c.length() > 1024)) {
                errors.add(new FieldError("manifest.container.command", "at most 32 arguments of at most 1024"
                        + " characters"));
            }
            for (int i = 0; i < m.container().ports().size(); i++) {
                String port = m.container().ports().get(i);
                var match = port == null ? null : PORT.matcher(port);
                if (match == null || !match.matches() || !inRange(match.group(1)) || !inRange(match.group(2))) {
                    errors.add(new FieldError("manifest.container.ports[" + i + "]", "a port is hostPort:containerPort"
                            + " (1-65535), optionally /tcp or /udp"));
                }
            }
        }
        errors.addAll(Parameters.checkTemplate(m.parameters()));
        return errors;
    }

    private static boolean inRange(String port) {
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }

    private static List<String> runtimes() {
        return java.util.Arrays.stream(RuntimeKind.values()).map(Enum::name).toList();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append('.').append(r.getFieldName().length() > 63 ? r.getFieldName().substring(0, 63) : r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString().toLowerCase(Locale.ROOT).equals(".") ? "" : b.toString();
    }

    private static Read failed(String field, String message) {
        return new Read(null, List.of(new FieldError(field, message)));
    }
}
