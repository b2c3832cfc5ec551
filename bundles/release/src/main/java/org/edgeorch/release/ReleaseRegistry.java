package org.edgeorch.release;

import java.util.Optional;

import org.edgeorch.oci.OciClient;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The release service's registry client, as configured in {@code org.edgeorch.release} (URL and credentials), for
 * other domains that read what was published there (application versions). No caller: the system reads.
 */
@ProviderType
public interface ReleaseRegistry {

    /** The client; empty when no release service is configured. */
    Optional<OciClient> client();
}
