package org.edgeorch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * module's jar (how the agent once took the window engine out of {@code org.edgeorch.scheduling}). And what the node
 * runtime installs is the same: the features it is assembled from ({@code node.xml} and the {@code core.xml} it builds
 * on) list only shared, node and hardware-plugin bundles, and name no feature of {@code orchestrator.xml} (how the OSGI
 * runtime once would have pulled in {@code org.edgeorch.release} for its OCI client, now {@code org.edgeorch.oci}).
 */
class NodeBundleDependenciesTest {

    /** What a node bundle may use of the repository's other modules (both runtimes install these). */
    private static final Set<String> SHARED = Set.of("org.edgeorch.spi", "org.edgeorch.platform", "org.edgeorch.shell",
            "org.edgeorch.windows", "org.edgeorch.oci");
    private static final Pattern EDGE_BUNDLE = Pattern.compile("mvn:org\\.edgeorch/([^/]+)/.*");

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
            docs.add(parse(pom));
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

    @Test
    void nodeFeaturesInstallNoOrchestratorBundle() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        Set<String> nodeOwn = new HashSet<>();
        for (String dir : List.of("agent-bundles", "hardware-plugins")) {
            try (Stream<Path> modules = Files.list(root.resolve(dir))) {
                for (Path pom : modules.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).toList()) {
                    nodeOwn.add(childText(parse(pom).getDocumentElement(), "artifactId"));
                }
            }
        }
        assertTrue(nodeOwn.contains("org.edgeorch.runtime.osgi") && nodeOwn.contains("org.edgeorch.plugin.linux"), nodeOwn.toString());
        Path features = root.resolve("features/src/main/features");
        Set<String> orchestratorFeatures = new HashSet<>();
        NodeList defined = parse(features.resolve("orchestrator.xml")).getElementsByTagName("feature");
        for (int i = 0; i < defined.getLength(); i++) {
            String name = ((Element) defined.item(i)).getAttribute("name");
            if (!name.isEmpty()) {
                orchestratorFeatures.add(name);
            }
        }
        assertTrue(orchestratorFeatures.contains("edge-release"), orchestratorFeatures.toString());

        List<String> offending = new ArrayList<>();
        int bundles = 0;
        for (String file : List.of("core.xml", "node.xml")) {
            Document doc = parse(features.resolve(file));
            NodeList list = doc.getElementsByTagName("bundle");
            for (int i = 0; i < list.getLength(); i++) {
                Matcher m = EDGE_BUNDLE.matcher(list.item(i).getTextContent().trim());
                if (m.matches()) {
                    bundles++;
                    if (!SHARED.contains(m.group(1)) && !nodeOwn.contains(m.group(1))) {
                        offending.add(file + " installs " + m.group(1));
                    }
                }
            }
            NodeList refs = doc.getElementsByTagName("feature");
            for (int i = 0; i < refs.getLength(); i++) {
                Element ref = (Element) refs.item(i);
                if (ref.getAttribute("name").isEmpty() && orchestratorFeatures.contains(ref.getTextContent().trim())) {
                    offending.add(file + " includes the orchestrator feature " + ref.getTextContent().trim());
                }
            }
            NodeList repositories = doc.getElementsByTagName("repository");
            for (int i = 0; i < repositories.getLength(); i++) {
                if (repositories.item(i).getTextContent().contains("orchestrator")) {
                    offending.add(file + " refers to the orchestrator's features " + repositories.item(i).getTextContent().trim());
                }
            }
        }
        assertTrue(bundles >= 8, "edge bundles found in the node's features: " + bundles);
        assertEquals(List.of(), offending, "node features installing orchestrator bundles");
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(xml.toFile());
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
