package org.edgeorch.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.Test;

/** A Location names the host the client asked for, never CXF's "localhost" for 127.0.0.1. */
class LocationFilterTest {

    @Test
    void theLocationTakesTheRequestsSchemeHostAndPort() {
        assertEquals("http://127.0.0.1:8181/api/v1/projects/p/sites/lisbon", LocationFilter.rebased(
                URI.create("http://localhost:8181/api/v1/projects/p/sites/lisbon"), "http://127.0.0.1:8181/api/v1/projects/p/sites"));
        assertEquals("https://edge.example.com/api/v1/projects/p/hosts/a%20b?x=1", LocationFilter.rebased(
                URI.create("http://localhost:8181/api/v1/projects/p/hosts/a%20b?x=1"), "https://edge.example.com/api/v1/projects/p/hosts"));
        assertEquals("https://edge.example.com/api/v1/orgs/o", LocationFilter.rebased(
                URI.create("http://localhost:8181/api/v1/orgs/o"), "https://edge.example.com:443/api/v1/orgs"));
        assertEquals("http://[::1]:8181/api/v1/orgs/o", LocationFilter.rebased(
                URI.create("http://localhost:8181/api/v1/orgs/o"), "http://[::1]:8181/api/v1/orgs"));
    }
}
