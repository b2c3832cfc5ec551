package org.edgeorch.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identity of a plugin as the user sees it in listings.
 *
 * @param id      stable identifier, lower case letters, digits, dots and dashes (for example {@code linux})
 * @param name    human readable name
 * @param vendor  who ships it
 * @param version the plugin's own version
 * @param kind    what it is responsible for
 */
public record PluginDescriptor(String id, String name, String vendor, String version, PluginKind kind) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");

    public PluginDescriptor {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("plugin id '" + id
                    + "' must be 1-63 characters of a-z, 0-9, '.' or '-', starting with a letter or digit");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
    }
}
