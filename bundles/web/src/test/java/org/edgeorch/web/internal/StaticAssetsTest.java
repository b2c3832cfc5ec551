package org.edgeorch.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

class StaticAssetsTest {

    private final List<String> opened = new ArrayList<>();
    private final Map<String, String> files = Map.of(
            "index.html", "<!doctype html><title>x</title>",
            "js/app.js", "export const x = 1;".repeat(50),
            "lib/leaflet-1.9.4/leaflet.js", "L=1;",
            "secret.properties", "password=x");
    private final StaticAssets assets = new StaticAssets(path -> {
        opened.add(path);
        String s = files.get(path);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    });

    @Test
    void pagesAnswerTheApplicationShellSoEveryPageHasAUrl() {
        assertEquals("index.html", assets.find("").orElseThrow().path());
        assertEquals("index.html", assets.find("projects/p/hosts").orElseThrow().path());
        // a host name with a dot is a page, not a file
        assertEquals("index.html", assets.find("projects/p/hosts/edge-01.example.com").orElseThrow().path());
        assertEquals("text/html; charset=utf-8", assets.find("projects/p/overview").orElseThrow().contentType());
    }

    @Test
    void filesComeOnlyFromTheAssetFoldersAndNeverFromAbove() {
        assertTrue(assets.find("js/app.js").isPresent());
        assertTrue(assets.find("js/../secret.properties").isEmpty());
        assertTrue(assets.find("js//app.js").isEmpty());
        assertTrue(assets.find("js/missing.js").isEmpty());
        assertTrue(assets.find("js/app.exe").isEmpty(), "unknown types are not served");
        // secret.properties is not below an asset folder: it is a "page", answered by the shell, never read
        assertEquals("index.html", assets.find("secret.properties").orElseThrow().path());
        assertTrue(opened.stream().noneMatch(p -> p.contains("secret") || p.contains("..")), opened.toString());
    }

    @Test
    void textIsGzippedOnceAndLibrariesAreImmutable() throws IOException {
        StaticAssets.Asset js = assets.find("js/app.js").orElseThrow();
        assertNotNull(js.gzip());
        assertTrue(js.gzip().length < js.bytes().length);
        assertArrayEquals(js.bytes(), new GZIPInputStream(new ByteArrayInputStream(js.gzip())).readAllBytes());
        assertTrue(!js.immutable());
        assertTrue(assets.find("lib/leaflet-1.9.4/leaflet.js").orElseThrow().immutable());
        assertNull(assets.find("lib/leaflet-1.9.4/leaflet.js").orElseThrow().gzip(), "a 4-byte file does not shrink");
        assets.find("js/app.js");
        assertEquals(1, opened.stream().filter("js/app.js"::equals).count(), "read once, then from memory");
        assertEquals(js.etag(), assets.find("js/app.js").orElseThrow().etag());
    }

    @Test
    void missesAreNotRemembered() {
        for (int i = 0; i < 100; i++) {
            assertTrue(assets.find("js/made-up-" + i + ".js").isEmpty());
        }
        assertTrue(assets.find("js/made-up-1.js").isEmpty());
        assertEquals(2, opened.stream().filter("js/made-up-1.js"::equals).count());
    }

    @Test
    void rolesCarryTheirPermissionsFromTheEnum() {
        String json = DashboardServlet.rolesJson();
        assertTrue(json.contains("\"VIEWER\":[\"PROJECT_READ\"]"), json);
        assertTrue(json.contains("\"EDGE_OPERATOR\":[\"OPERATE\",\"PROJECT_READ\"]"), json);
        assertTrue(json.contains("\"PLATFORM_ADMIN\":[]"), json);
    }
}
