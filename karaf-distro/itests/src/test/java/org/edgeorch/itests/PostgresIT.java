package org.edgeorch.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.Properties;

import javax.sql.DataSource;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;
import org.osgi.service.jdbc.DataSourceFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The orchestrator configured for PostgreSQL: migrates the real database and records itself in it.
 * The test command starts a throwaway PostgreSQL on loopback and exports EDGE_TEST_PG_URL.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PostgresIT extends HttpItestSupport {

    @Configuration
    public Option[] config() {
        String url = System.getenv("EDGE_TEST_PG_URL");
        if (url == null) {
            throw new IllegalStateException("EDGE_TEST_PG_URL is not set: run the tests with .ci/test.sh, "
                    + "which starts a throwaway PostgreSQL on loopback");
        }
        String user = System.getenv().getOrDefault("EDGE_TEST_PG_USER", "postgres");
        String password = System.getenv().getOrDefault("EDGE_TEST_PG_PASSWORD", "");
        return options(distribution("orchestrator", 18182, 18102, 11199), adminPassword(),
                editConfigurationFilePut("etc/org.edgeorch.store.cfg", "type", "postgresql"),
                editConfigurationFilePut("etc/org.edgeorch.store.cfg", "url", url),
                editConfigurationFilePut("etc/org.edgeorch.store.cfg", "user", user),
                editConfigurationFilePut("etc/org.edgeorch.store.cfg", "password", password),
                org.ops4j.pax.exam.CoreOptions.systemProperty("edge.it.pg.url").value(url),
                org.ops4j.pax.exam.CoreOptions.systemProperty("edge.it.pg.user").value(user),
                org.ops4j.pax.exam.CoreOptions.systemProperty("edge.it.pg.password").value(password));
    }

    @Test
    public void runsOnPostgresqlAndRecordsItsInstanceThere() throws Exception {
        JsonNode status = awaitStatusUp("database");
        JsonNode details = null;
        for (JsonNode c : status.get("components")) {
            if (c.get("name").asText().equals("database")) {
                details = c.get("details");
            }
        }
        assertEquals("POSTGRESQL", details.get("kind").asText());
        assertTrue(details.get("product").asText(), details.get("product").asText().startsWith("PostgreSQL 1"));
        assertEquals(System.getProperty("edge.schema.version"), details.get("schemaVersion").asText());
        assertEquals(System.getProperty("edge.it.pg.url"), details.get("location").asText());
        assertTrue(Integer.parseInt(details.get("liveInstances").asText()) >= 1);

        // Look in the database itself, through the same driver service the store uses.
        Collection<ServiceReference<DataSourceFactory>> refs = bundleContext.getServiceReferences(
                DataSourceFactory.class, "(osgi.jdbc.driver.class=org.postgresql.Driver)");
        DataSourceFactory factory = bundleContext.getService(refs.iterator().next());
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, System.getProperty("edge.it.pg.url"));
        props.setProperty(DataSourceFactory.JDBC_USER, System.getProperty("edge.it.pg.user"));
        props.setProperty(DataSourceFactory.JDBC_PASSWORD, System.getProperty("edge.it.pg.password"));
        DataSource ds = factory.createDataSource(props);
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT hostname, version FROM orchestrator_instance WHERE instance_id = ?")) {
            q.setString(1, details.get("instanceId").asText());
            try (ResultSet rs = q.executeQuery()) {
                assertTrue("instance row in PostgreSQL", rs.next());
                assertEquals(status.get("version").asText(), rs.getString("version"));
            }
        }
        try (Connection c = ds.getConnection();
             PreparedStatement q = c.prepareStatement("SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            // versions are text in Flyway's table: compared as numbers, or "8" would be newer than "20"
            assertEquals(System.getProperty("edge.schema.version"), rs.getString(1));
        }
        assertTrue(shell("edge:status").contains("kind=POSTGRESQL"));
    }
}
