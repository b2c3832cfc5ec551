package org.edgeorch.agent.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.edgeorch.agent.update.ReleaseVerifier;
import org.edgeorch.security.HostCertificateAuthority;
import org.edgeorch.security.Pems;
import org.edgeorch.security.ReleaseSignatures;
import org.edgeorch.spi.PluginDescriptor;
import org.edgeorch.spi.PluginKind;
import org.edgeorch.spi.apps.AppRuntime;
import org.edgeorch.spi.apps.AppUnit;
import org.edgeorch.spi.apps.UnitStatus;
import org.edgeorch.spi.southbound.AppReport;
import org.edgeorch.spi.southbound.AppState;
import org.edgeorch.spi.southbound.DesiredApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The app agent's decisions: only a version whose signature verifies against the node's own trust reaches a runtime;
 * what is no longer desired is removed; nothing is removed before the first desired state. The runtime here is an
 * in-memory one that records its calls (the real one, Podman, is exercised by AppNodeIT).
 */
class AppAgentTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final HostCertificateAuthority SIGNER = HostCertificateAuthority.createRoot("apps-test", Duration.ofDays(1));
    private static final HostCertificateAuthority STRANGER = HostCertificateAuthority.createRoot("stranger", Duration.ofDays(1));

    /** A runtime that keeps its units in a map. */
    static final class MemoryRuntime implements AppRuntime {
        final Map<String, AppUnit> units = new ConcurrentHashMap<>();
        final List<String> calls = new ArrayList<>();
        /** A version to answer ROLLED_BACK for (its health check failed, the previous one runs), or null. */
        volatile String rollBack;

        @Override
        public String kind() {
            return "CONTAINER";
        }

        @Override
        public PluginDescriptor descriptor() {
            return new PluginDescriptor("memory", "memory", "test", "1", PluginKind.APP_RUNTIME);
        }

        @Override
        public Availability availability() {
            return new Availability(true, "");
        }

        @Override
        public UnitStatus apply(AppUnit unit) {
            calls.add("apply " + unit.deployment() + " " + unit.version());
            if (unit.version().equals(rollBack)) {
                return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.ROLLED_BACK,
                        "the container is exited (exit code 3) within 3 s of its start; rolled back to 1.0.0");
            }
            units.put(unit.deployment(), unit);
            return new UnitStatus(unit.deployment(), unit.version(), unit.fingerprint(), AppState.RUNNING, null);
        }

        @Override
        public List<UnitStatus> installed() {
            return units.values().stream().map(u -> new UnitStatus(u.deployment(), u.version(), u.fingerprint(),
                    AppState.RUNNING, null)).toList();
        }

        @Override
        public void remove(String deployment) {
            calls.add("remove " + deployment);
            units.remove(deployment);
        }
    }

    private final MemoryRuntime runtime = new MemoryRuntime();
    private final AppAgent agent = new AppAgent(new ReleaseVerifier(List.of(SIGNER.certificate())), () -> List.of(runtime),
            Duration.ofHours(1), Clock.systemUTC());

    @AfterEach
    void close() {
        agent.close();
    }

    private static String manifest(String version) {
        return "{\"schemaVersion\":1,\"application\":\"web\",\"version\":\"" + version + "\",\"runtime\":\"CONTAINER\","
                + "\"artifacts\":[{\"name\":\"web\",\"repository\":\"apps/web\",\"digest\":\"" + DIGEST + "\"}]}";
    }

    private static String sign(HostCertificateAuthority by, String text) {
        return Base64.getEncoder().encodeToString(ReleaseSignatures.sign(text.getBytes(StandardCharsets.UTF_8),
                Pems.privateKey(by.privateKeyPem()), List.of(by.certificate())));
    }

    private static DesiredApp app(String deployment, String version, String manifest, String signature) {
        return new DesiredApp(deployment, "web", version, "http://127.0.0.1:5000", manifest, signature,
                Map.of("PASSWORD", "hunter2"), List.of("PASSWORD"));
    }

    private AppReport state(String deployment) {
        return agent.current().stream().filter(r -> r.deployment().equals(deployment)).findFirst().orElse(null);
    }

    @Test
    void onlyAVersionSignedByATrustedSignerReachesTheRuntime() {
        String good = manifest("1.0.0");
        agent.desired(List.of(
                app("signed", "1.0.0", good, sign(SIGNER, good)),
                app("unsigned", "1.0.0", good, ""),
                app("stranger", "1.0.0", good, sign(STRANGER, good)),
                app("tampered", "1.0.0", good.replace("apps/web", "apps/evil"), sign(SIGNER, good)),
                app("mislabelled", "2.0.0", good, sign(SIGNER, good))));
        agent.converge();
        assertEquals(List.of("apply signed 1.0.0"), runtime.calls.stream().distinct().toList(), "apply is idempotent and"
                + " may run more than once; never for a refused version");
        assertEquals(AppState.RUNNING, state("signed").state());
        for (String refused : List.of("unsigned", "stranger", "tampered", "mislabelled")) {
            AppReport r = state(refused);
            assertEquals(AppState.FAILED, r.state(), refused);
            assertTrue(r.reason().contains("not installed"), r.reason());
            assertFalse(r.reason().contains("hunter2"));
        }
        assertTrue(state("stranger").reason().contains("UNTRUSTED"), state("stranger").reason());
        assertTrue(state("tampered").reason().contains("BAD_SIGNATURE"), state("tampered").reason());
    }

    @Test
    void whatIsNoLongerDesiredIsRemovedButNothingBeforeTheFirstDesiredState() {
        runtime.units.put("left-over", new AppUnit("left-over", "web", "0.9.0", null, List.of(), null, null, null, null, "x"));
        agent.converge();
        assertEquals(List.of(), runtime.calls, "no desired state yet: nothing touched");

        String m = manifest("1.0.0");
        agent.desired(List.of(app("pos", "1.0.0", m, sign(SIGNER, m))));
        agent.converge();
        assertEquals(List.of("apply pos 1.0.0", "remove left-over"), runtime.calls.stream().distinct().toList());
        assertEquals(List.of("pos"), agent.current().stream().map(AppReport::deployment).toList());

        agent.desired(List.of());
        agent.converge();
        assertEquals(List.of(), agent.current());
        assertTrue(runtime.units.isEmpty());
    }

    @Test
    void secretsStayOutOfEveryStringTheAgentMakes() {
        String m = manifest("1.0.0");
        DesiredApp app = app("pos", "1.0.0", m, sign(SIGNER, m));
        assertFalse(app.toString().contains("hunter2"), app.toString());
        agent.desired(List.of(app));
        agent.converge();
        AppUnit unit = runtime.units.get("pos");
        assertEquals("hunter2", unit.values().get("PASSWORD"), "the runtime gets the value");
        assertFalse(unit.toString().contains("hunter2"), unit.toString());
    }

    @Test
    void aRolledBackVersionIsReportedOnceAndNotFlippedBackToInstallingOnEveryPass() {
        java.util.concurrent.atomic.AtomicInteger syncs = new java.util.concurrent.atomic.AtomicInteger();
        agent.attach(new org.edgeorch.agent.UpdateHandler.Link() {
            @Override
            public void syncSoon() {
                syncs.incrementAndGet();
            }

            @Override
            public java.time.Instant lastSyncAt() {
                return null;
            }
        });
        String one = manifest("1.0.0");
        agent.desired(List.of(app("pos", "1.0.0", one, sign(SIGNER, one))));
        agent.converge();
        assertEquals(AppState.RUNNING, state("pos").state());
        runtime.rollBack = "1.1.0";
        String next = manifest("1.1.0");
        agent.desired(List.of(app("pos", "1.1.0", next, sign(SIGNER, next))));
        agent.converge();
        AppReport r = state("pos");
        assertEquals(AppState.ROLLED_BACK, r.state());
        assertEquals("1.1.0", r.version());
        assertTrue(r.reason().contains("rolled back to 1.0.0"), r.reason());
        int after = syncs.get();
        agent.converge();
        agent.converge();
        assertEquals(after, syncs.get(), "an unchanged ROLLED_BACK is no news");
        assertEquals(AppState.ROLLED_BACK, state("pos").state());
        assertEquals("1.0.0", runtime.units.get("pos").version(), "the runtime keeps what ran; the agent removes nothing");
    }
}
