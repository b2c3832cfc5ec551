package org.edgeorch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The node runtime's bundles depend on no orchestrator domain bundle: every {@code agent-bundles/*}/pom.xml names,
 * outside test scope, only the shared bundles below and the node's own, and no bnd instruction embeds another
 * module's jar (how the agent once took the window engine out of {@code org.edgeorch.scheduling}).
 */
class NodeBundleDependenciesTest {

    /** What a node bundle may use of the repository's other modules (both runtimes install these). */
    private static final Set<String> SHARED = Set.of("org.edgeorch.spi", "org.edgeorch.shell", "org.edgeorch.windows");

    @Test
    void nodeBundlesDependOnSharedBundlesOnly() throws Exception {
        Path agentBundles = Path.of("").toAbsolutePath().getParent();
        List<Path> poms;
        try (Stream<Path> dirs = Files.list(agentBundles)) {
            poms = dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(poms.size() >= 4, "agent-bundles/*/pom.xml found: " + poms);
        List<Document> docs = new ArrayList<>();
        for (Path pom : poms) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            docs.add(factory.newDocumentBuilder().parse(pom.toFile()));
        }
        Set<String> nodeOwn = new HashSet<>();
        for (Document doc : docs) {
            nodeOwn.add(childText(doc.getDocumentElement(), "artifactId"));
        }
        List<String> offending = new ArrayList<>();
        for (int i = 0; i < poms.size(); i++) {
            Document doc = docs.get(i);
            String module = poms.get(i).getParent().getFileName().toString();
            NodeList deps = doc.getElementsByTagName("dependency");
            for (int d = 0; d < deps.getLength(); d++) {
                Element dep = (Element) deps.item(d);
                String group = childText(dep, "groupId");
                String artifact = childText(dep, "artifactId");
                String scope = childText(dep, "scope");
                if ("org.edgeorch".equals(group) && !"test".equals(scope)
                        && !SHARED.contains(artifact) && !nodeOwn.contains(artifact)) {
                    offending.add(module + " -> " + artifact + (scope.isEmpty() ? "" : " (" + scope + ")"));
                }
            }
            String text = Files.readString(poms.get(i));
            if (text.matches("(?s).*-includeresource:[^\\n]*@org\\.edgeorch\\..*")) {
                offending.add(module + " embeds another module's classes with -includeresource");
            }
        }
        assertEquals(List.of(), offending, "node bundles depending on orchestrator bundles");
    }

    private static String childText(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return "";
    }
}
