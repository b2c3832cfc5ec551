package org.edgeorch.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The Declarative Services descriptors bnd generated for this bundle: every component configured by
 * {@code org.edgeorch.tenancy} takes a change of it in place. Without a {@code modified} method DS deactivates and
 * activates the component again, and with AuthService or AuditLog every domain service, REST resource, SOAP port and
 * shell command above them; the first start's own rewrite of the password into its hash is such a change.
 */
class ComponentDescriptorsTest {

    @Test
    void everyComponentOfTheTenancyConfigurationTakesAChangeInPlace() throws Exception {
        Path dir = Path.of(getClass().getClassLoader().getResource("OSGI-INF").toURI());
        Map<String, String> modifiedByComponent = new TreeMap<>();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path xml : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".xml"))::iterator) {
                Element component = factory.newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
                if ("org.edgeorch.tenancy".equals(component.getAttribute("configuration-pid"))) {
                    modifiedByComponent.put(component.getAttribute("name"), component.getAttribute("modified"));
                }
            }
        }
        assertEquals(Map.of(
                        "org.edgeorch.tenancy.internal.AuditLogImpl", "modified",
                        "org.edgeorch.tenancy.internal.AuthServiceImpl", "modified",
                        "org.edgeorch.tenancy.internal.InitialAdmin", "modified"),
                modifiedByComponent, "components of org.edgeorch.tenancy -> their modified method; found in " + List.of(dir));
    }
}
