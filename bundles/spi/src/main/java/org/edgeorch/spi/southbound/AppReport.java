package org.edgeorch.spi.southbound;

/**
 * The app agent's latest word on one deployment, sent with every sync for every deployment the host has (desired
 * or still being removed). A deployment the host no longer reports is gone from it.
 *
 * @param deployment the deployment ({@link DesiredApp#deployment()})
 * @param version    the version this state is about
 * @param state      where it stands
 * @param reason     why (FAILED, UNHEALTHY, PENDING), at most 500 characters; never a parameter's value
 * @param at         epoch milliseconds (host clock) of the state
 */
public record AppReport(String deployment, String version, AppState state, String reason, long at) {
}
