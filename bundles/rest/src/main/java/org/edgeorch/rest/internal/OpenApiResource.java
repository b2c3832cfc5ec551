package org.edgeorch.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * Serves the OpenAPI 3 document that the build generated from these same JAX-RS classes, so it
 * cannot drift from the code and the runtime carries no OpenAPI engine.
 */
@Path("/openapi.json")
@Hidden
public class OpenApiResource {

    static final String DOCUMENT = "/openapi/openapi.json";

    private final byte[] document;

    public OpenApiResource() {
        URL url = OpenApiResource.class.getResource(DOCUMENT);
        if (url == null) {
            throw new IllegalStateException(DOCUMENT + " is missing from the bundle; the build generates it");
        }
        try (InputStream in = url.openStream()) {
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] get() {
        return document.clone();
    }
}
