package org.edgeorch.platform;

import org.osgi.annotation.versioning.ProviderType;

/** The status of this runtime. */
@ProviderType
public interface StatusService {

    PlatformStatus status();
}
