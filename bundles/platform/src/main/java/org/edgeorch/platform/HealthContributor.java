package org.edgeorch.platform;

import org.osgi.annotation.versioning.ConsumerType;

/** Implemented by parts of the runtime that appear in its status; found by whiteboard. */
@ConsumerType
public interface HealthContributor {

    /** Checks the part now; must answer within a second or two and never throw. */
    ComponentHealth health();
}
