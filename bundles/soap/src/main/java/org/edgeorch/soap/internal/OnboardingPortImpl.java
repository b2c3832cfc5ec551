package org.edgeorch.soap.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import javax.jws.WebService;

import org.edgeorch.fleet.Onboarding;
import org.edgeorch.fleet.OnboardingService;
import org.edgeorch.soap.FleetDtos;
import org.edgeorch.soap.OnboardingDtos;
import org.edgeorch.soap.OnboardingPort;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.TenancyFault;
import org.edgeorch.tenancy.TenancyException;

@WebService(serviceName = "OnboardingService", portName = "OnboardingPort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.OnboardingPort")
public class OnboardingPortImpl implements OnboardingPort {

    static final Duration DEFAULT_VALIDITY = Duration.ofDays(7);
    private static final int DEFAULT_PAGE = 50;

    private final OnboardingService onboarding;

    public OnboardingPortImpl(OnboardingService onboarding) {
        this.onboarding = onboarding;
    }

    @Override
    public OnboardingDtos.IssuedToken createEnrolmentToken(String project, String name, String site, String validity,
                                                           Integer maxUses) throws TenancyFault {
        return TenancyPortImpl.call(() -> {
            Onboarding.IssuedToken issued = onboarding.createEnrolmentToken(SoapAuthInterceptor.caller(), project, name,
                    blank(site), validity(validity), maxUses);
            return issued(issued, onboarding.certificateAuthority());
        });
    }

    @Override
    public List<OnboardingDtos.EnrolmentToken> listEnrolmentTokens(String project) throws TenancyFault {
        return TenancyPortImpl.call(() -> onboarding.enrolmentTokens(SoapAuthInterceptor.caller(), project).stream()
                .map(OnboardingPortImpl::token).toList());
    }

    @Override
    public void revokeEnrolmentToken(String project, String name) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            onboarding.revokeEnrolmentToken(SoapAuthInterceptor.caller(), project, name);
            return null;
        });
    }

    @Override
    public FleetDtos.Host invalidateHost(String project, String host, String reason) throws TenancyFault {
        return TenancyPortImpl.call(() -> FleetPortImpl.host(onboarding.invalidateHost(SoapAuthInterceptor.caller(), project,
                host, blank(reason))));
    }

    @Override
    public void deleteHost(String project, String host) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            onboarding.deleteHost(SoapAuthInterceptor.caller(), project, host);
            return null;
        });
    }

    @Override
    public List<OnboardingDtos.HostCertificate> listHostCertificates(String project, String host) throws TenancyFault {
        return TenancyPortImpl.call(() -> onboarding.certificates(SoapAuthInterceptor.caller(), project, host).stream()
                .map(OnboardingPortImpl::certificate).toList());
    }

    @Override
    public OnboardingDtos.Inventory getHostInventory(String project, String host) throws TenancyFault {
        return TenancyPortImpl.call(() -> inventory(onboarding.inventory(SoapAuthInterceptor.caller(), project, host)));
    }

    @Override
    public List<OnboardingDtos.InventoryChange> listInventoryChanges(String project, String host, int offset, int limit)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> onboarding.inventoryChanges(SoapAuthInterceptor.caller(), project, host, offset,
                limit == 0 ? DEFAULT_PAGE : limit).stream().map(OnboardingPortImpl::change).toList());
    }

    @Override
    public List<OnboardingDtos.HostReport> listHostReports(String project, String host, int offset, int limit)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> onboarding.reports(SoapAuthInterceptor.caller(), project, host, offset,
                limit == 0 ? DEFAULT_PAGE : limit).stream().map(OnboardingPortImpl::report).toList());
    }

    @Override
    public OnboardingDtos.CertificateAuthority getCertificateAuthority() throws TenancyFault {
        return TenancyPortImpl.call(() -> {
            SoapAuthInterceptor.caller(); // authenticated like every call, though the authority is public
            return authority(onboarding.certificateAuthority());
        });
    }

    /** An ISO-8601 duration such as {@code P7D} or {@code PT12H}; absent means {@link #DEFAULT_VALIDITY}. */
    static Duration validity(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_VALIDITY;
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new TenancyException(TenancyException.Reason.INVALID, "validity", "validity '" + text
                    + "' is not an ISO-8601 duration; write e.g. P7D for 7 days or PT12H for 12 hours");
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static OnboardingDtos.IssuedToken issued(Onboarding.IssuedToken issued, Onboarding.CertificateAuthorityInfo ca) {
        OnboardingDtos.IssuedToken d = new OnboardingDtos.IssuedToken();
        d.token = token(issued.token());
        d.secret = issued.secret();
        d.caFingerprint = ca.sha256Fingerprint();
        return d;
    }

    static OnboardingDtos.EnrolmentToken token(Onboarding.EnrolmentToken t) {
        OnboardingDtos.EnrolmentToken d = new OnboardingDtos.EnrolmentToken();
        d.name = t.name();
        d.site = t.site();
        d.expiresAt = text(t.expiresAt());
        d.maxUses = t.maxUses();
        d.uses = t.uses();
        d.createdBy = t.createdBy();
        d.createdAt = text(t.createdAt());
        d.revokedAt = text(t.revokedAt());
        return d;
    }

    static OnboardingDtos.HostCertificate certificate(Onboarding.HostCertificate c) {
        OnboardingDtos.HostCertificate d = new OnboardingDtos.HostCertificate();
        d.serial = c.serial();
        d.notBefore = text(c.notBefore());
        d.notAfter = text(c.notAfter());
        d.revokedAt = text(c.revokedAt());
        d.revocationReason = c.revocationReason();
        return d;
    }

    static OnboardingDtos.Inventory inventory(Onboarding.Inventory i) {
        OnboardingDtos.Inventory d = new OnboardingDtos.Inventory();
        d.host = i.host();
        d.sha256 = i.sha256();
        d.reportedAt = text(i.reportedAt());
        d.hardware = i.inventory() == null ? null : Dtos.hardware(i.inventory());
        return d;
    }

    static OnboardingDtos.InventoryChange change(Onboarding.InventoryChange c) {
        OnboardingDtos.InventoryChange d = new OnboardingDtos.InventoryChange();
        d.id = c.id();
        d.changedAt = text(c.changedAt());
        d.sections.addAll(c.sections());
        d.summary = c.summary();
        return d;
    }

    static OnboardingDtos.HostReport report(Onboarding.HostReport r) {
        OnboardingDtos.HostReport d = new OnboardingDtos.HostReport();
        d.sequence = r.sequence();
        d.occurredAt = text(r.occurredAt());
        d.receivedAt = text(r.receivedAt());
        d.kind = r.kind();
        d.detail = r.detail();
        return d;
    }

    static OnboardingDtos.CertificateAuthority authority(Onboarding.CertificateAuthorityInfo ca) {
        OnboardingDtos.CertificateAuthority d = new OnboardingDtos.CertificateAuthority();
        d.certificate = ca.certificate();
        d.sha256Fingerprint = ca.sha256Fingerprint();
        d.notAfter = text(ca.notAfter());
        return d;
    }
}
