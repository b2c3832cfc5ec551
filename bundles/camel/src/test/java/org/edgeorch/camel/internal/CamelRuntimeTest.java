package org.edgeorch.camel.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

class CamelRuntimeTest {

    /** The merged file in this bundle must list exactly what the embedded Camel jars list. */
    @Test
    void mergedTypeConverterLoadersMatchTheCamelJars() throws IOException {
        List<String> fromJars = new ArrayList<>();
        List<String> merged = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/services/org/apache/camel/TypeConverterLoader"))) {
            (url.getProtocol().equals("jar") ? fromJars : merged).addAll(entries(url));
        }
        Collections.sort(fromJars);
        Collections.sort(merged);
        assertEquals(fromJars, merged);
    }

    @Test
    void routesRunWithTheEmbeddedEngineAndTypeConverters() throws Exception {
        CamelContext camel = CamelRuntime.create();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:double").routeId("double").convertBodyTo(Integer.class)
                        .process(e -> e.getMessage().setBody(e.getMessage().getBody(Integer.class) * 2));
            }
        });
        camel.start();
        try {
            Object answer = camel.createProducerTemplate().requestBody("direct:double", "21");
            assertEquals("42", String.valueOf(answer));
        } finally {
            camel.stop();
        }
    }

    private static List<String> entries(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }
}
