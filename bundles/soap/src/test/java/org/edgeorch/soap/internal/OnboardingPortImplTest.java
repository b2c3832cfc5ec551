package org.edgeorch.soap.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.xml.bind.JAXBContext;
import javax.xml.bind.JAXBElement;
import javax.xml.namespace.QName;

import org.edgeorch.fleet.Onboarding;
import org.edgeorch.soap.OnboardingDtos;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.spi.HardwareInventory;
import org.edgeorch.tenancy.TenancyException;
import org.junit.jupiter.api.Test;

/** What a SOAP client sees of onboarding records: every section of an inventory, and the secret only once. */
class OnboardingPortImplTest {

    private static final Instant REPORTED = Instant.parse("2026-11-20T10:15:30Z");

    private static HardwareInventory hardware() {
        return new HardwareInventory(
                new HardwareInventory.SystemInfo("Dell Inc.", "PowerEdge XR11", "SN-1", "uuid-1", "2.1.0", "edge-01"),
                new HardwareInventory.Cpu("Xeon D-2796TE", "x86_64", 1, 20, 40),
                new HardwareInventory.Memory(64L << 30, 48L << 30),
                List.of(new HardwareInventory.Disk("nvme0n1", 960L << 30, false, false, "PM9A3", "S6X")),
                List.of(new HardwareInventory.Nic("eno1", "aa:bb:cc:dd:ee:ff", 1500, 10_000L, "up")),
                List.of(new HardwareInventory.Usb("1-1.2", "046d", "c31c", "Logitech", "Keyboard", null, 1.5)),
                List.of(new HardwareInventory.Gpu("0000:01:00.0", "10de", "1eb8", "NVIDIA", "Tesla T4", "nvidia")));
    }

    @Test
    void anInventoryKeepsEverySectionAndMarshals() throws Exception {
        OnboardingDtos.Inventory dto = OnboardingPortImpl.inventory(
                new Onboarding.Inventory("edge-01", "abc123", REPORTED, hardware()));

        assertEquals("edge-01", dto.host);
        assertEquals("2026-11-20T10:15:30Z", dto.reportedAt);
        assertEquals("Xeon D-2796TE", dto.hardware.cpuModel);
        assertEquals(40, dto.hardware.threads);
        assertEquals(64L << 30, dto.hardware.memoryTotalBytes);
        assertEquals("nvme0n1", dto.hardware.disks.get(0).name);
        assertEquals(10_000L, dto.hardware.nics.get(0).speedMbps);
        assertEquals(1.5, dto.hardware.usbDevices.get(0).speedMbps);
        assertEquals("nvidia", dto.hardware.gpus.get(0).driver);

        StringWriter xml = new StringWriter();
        JAXBContext.newInstance(OnboardingDtos.Inventory.class).createMarshaller().marshal(
                new JAXBElement<>(new QName(PlatformService.NAMESPACE, "inventory"), OnboardingDtos.Inventory.class, dto), xml);
        assertTrue(xml.toString().contains("<usb><port>1-1.2</port>"), xml.toString());
        assertTrue(xml.toString().contains("<gpu><pciAddress>0000:01:00.0</pciAddress>"), xml.toString());
    }

    @Test
    void anIssuedTokenCarriesItsSecretAndTheFingerprintToPin() {
        Onboarding.EnrolmentToken token = new Onboarding.EnrolmentToken("line-3", "plant-a", REPORTED, null, 0, "alice",
                REPORTED.minus(Duration.ofDays(7)), null);
        OnboardingDtos.IssuedToken dto = OnboardingPortImpl.issued(new Onboarding.IssuedToken(token, "s3cret"),
                new Onboarding.CertificateAuthorityInfo("-----BEGIN CERTIFICATE-----", "AB:CD", REPORTED));

        assertEquals("s3cret", dto.secret);
        assertEquals("AB:CD", dto.caFingerprint);
        assertEquals("plant-a", dto.token.site);
        assertNull(dto.token.maxUses, "no limit stays absent rather than 0");
        assertNull(dto.token.revokedAt);
    }

    @Test
    void validityIsAnIsoDurationAndDefaultsToAWeek() {
        assertEquals(Duration.ofDays(7), OnboardingPortImpl.validity(null));
        assertEquals(Duration.ofHours(12), OnboardingPortImpl.validity("PT12H"));
        TenancyException e = assertThrows(TenancyException.class, () -> OnboardingPortImpl.validity("7 days"));
        assertEquals(TenancyException.Reason.INVALID, e.reason());
        assertEquals("validity", e.field());
    }
}
