package org.edgeorch.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Request bodies are read as typed: no coercion, and the refusal names the field, not a Java class. */
class StrictJsonTest {

    private final ObjectMapper mapper = RestComponent.objectMapper();

    private ApiError refusal(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> mapper.readValue(json, Bodies.EnrolmentToken.class));
        Response response = new ErrorMappers.Json().toResponse(e);
        assertEquals(400, response.getStatus());
        ApiError error = (ApiError) response.getEntity();
        assertFalse(error.message().contains("java."), error.message());
        assertFalse(error.message().contains("org.edgeorch"), error.message());
        assertFalse(error.message().contains("Bodies"), error.message());
        return error;
    }

    @Test
    void aNumberIsNotAName() {
        ApiError error = refusal("{\"name\": 12345}");
        assertEquals("name", error.fields().get(0).field());
        assertTrue(error.message().contains("expected a string"), error.message());
    }

    @Test
    void aFractionIsNotAnIntegerNorIsAString() {
        assertEquals("maxUses", refusal("{\"name\": \"t\", \"maxUses\": 1.5}").fields().get(0).field());
        assertEquals("maxUses", refusal("{\"name\": \"t\", \"maxUses\": \"5\"}").fields().get(0).field());
        assertEquals("name", refusal("{\"name\": true}").fields().get(0).field());
    }

    @Test
    void aBodyOfTheWrongShapeIsRefusedWithoutNamingAClass() {
        assertTrue(refusal("[1, 2]").fields().isEmpty());
        assertNotNull(refusal("{\"name\": {\"a\": 1}}"));
    }

    @Test
    void aWellTypedBodyIsRead() throws Exception {
        assertEquals(3, mapper.readValue("{\"name\": \"t\", \"maxUses\": 3}", Bodies.EnrolmentToken.class).maxUses());
    }

    @Test
    void aLongBadValueIsQuotedAsAPrefix() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> mapper.readValue("{\"name\": \"p\", \"mode\": \"" + "x".repeat(10_000) + "\"}",
                        Bodies.OsProfile.class));
        ApiError error = (ApiError) new ErrorMappers.Json().toResponse(e).getEntity();
        assertTrue(error.message().length() < 400, error.message());
    }

    @Test
    void authenticationComesBeforeTheResourceIsMatched() {
        assertNotNull(AuthFilter.class.getAnnotation(PreMatching.class), "a 401 must come before 415/405");
    }
}
