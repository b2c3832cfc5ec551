package org.edgeorch.scheduling;

/**
 * The OS version a host should run, as its effective update policy decides.
 *
 * @param profile      the project's OS profile
 * @param version      an OS resource of that profile, currently offered (not withdrawn)
 * @param policySource where the policy comes from, for example {@code site paris (the host's site)}
 */
public record DesiredVersion(String profile, String version, String policySource) {
}
