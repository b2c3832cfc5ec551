package org.edgeorch.soap.internal;

import java.util.List;
import java.util.Locale;

import javax.jws.WebService;

import org.edgeorch.release.ReleaseService;
import org.edgeorch.release.Releases;
import org.edgeorch.soap.PlatformService;
import org.edgeorch.soap.ReleaseDtos;
import org.edgeorch.soap.ReleasePort;
import org.edgeorch.soap.TenancyFault;
import org.edgeorch.tenancy.TenancyException;

@WebService(serviceName = "ReleaseService", portName = "ReleasePort", targetNamespace = PlatformService.NAMESPACE,
        endpointInterface = "org.edgeorch.soap.ReleasePort")
public class ReleasePortImpl implements ReleasePort {

    private static final int DEFAULT_PAGE = 50;

    private final ReleaseService releases;

    public ReleasePortImpl(ReleaseService releases) {
        this.releases = releases;
    }

    @Override
    public List<ReleaseDtos.Release> listReleases(String profile, int offset, int limit) throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.releases(SoapAuthInterceptor.caller(), blank(profile), offset,
                page(limit)).stream().map(ReleasePortImpl::release).toList());
    }

    @Override
    public ReleaseDtos.Release getRelease(String profile, String version) throws TenancyFault {
        return TenancyPortImpl.call(() -> release(releases.release(SoapAuthInterceptor.caller(), profile, version)));
    }

    @Override
    public List<ReleaseDtos.ReleaseEvent> listReleaseEvents(String profile, String outcome, int offset, int limit)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.events(SoapAuthInterceptor.caller(), blank(profile),
                parse(Releases.EventOutcome.class, "outcome", outcome), offset, page(limit)).stream()
                .map(ReleasePortImpl::event).toList());
    }

    @Override
    public List<ReleaseDtos.ReleaseEvent> checkReleases(String repository, String tag) throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.check(SoapAuthInterceptor.caller(), blank(repository), blank(tag))
                .stream().map(ReleasePortImpl::event).toList());
    }

    @Override
    public List<ReleaseDtos.Signer> listSigners() throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.signers(SoapAuthInterceptor.caller()).stream()
                .map(ReleasePortImpl::signer).toList());
    }

    @Override
    public ReleaseDtos.Signer addSigner(String name, String certificate) throws TenancyFault {
        return TenancyPortImpl.call(() -> signer(releases.addSigner(SoapAuthInterceptor.caller(), name, certificate)));
    }

    @Override
    public ReleaseDtos.Signer revokeSigner(String name, String reason) throws TenancyFault {
        return TenancyPortImpl.call(() -> signer(releases.revokeSigner(SoapAuthInterceptor.caller(), name, blank(reason))));
    }

    @Override
    public ReleaseDtos.RevocationList addRevocationList(String crl) throws TenancyFault {
        return TenancyPortImpl.call(() -> revocationList(releases.addRevocationList(SoapAuthInterceptor.caller(), crl)));
    }

    @Override
    public List<ReleaseDtos.RevocationList> listRevocationLists() throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.revocationLists(SoapAuthInterceptor.caller()).stream()
                .map(ReleasePortImpl::revocationList).toList());
    }

    @Override
    public List<ReleaseDtos.OsProfile> listOsProfiles(String project) throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.profiles(SoapAuthInterceptor.caller(), project).stream()
                .map(ReleasePortImpl::profile).toList());
    }

    @Override
    public ReleaseDtos.OsProfile getOsProfile(String project, String name) throws TenancyFault {
        return TenancyPortImpl.call(() -> profile(releases.profile(SoapAuthInterceptor.caller(), project, name)));
    }

    @Override
    public ReleaseDtos.OsProfile createOsProfile(String project, String name, ReleaseDtos.OsProfileSpec spec)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> profile(releases.createProfile(SoapAuthInterceptor.caller(), project, name,
                spec(spec))));
    }

    @Override
    public ReleaseDtos.OsProfile updateOsProfile(String project, String name, ReleaseDtos.OsProfileSpec spec)
            throws TenancyFault {
        return TenancyPortImpl.call(() -> profile(releases.updateProfile(SoapAuthInterceptor.caller(), project, name,
                spec(spec))));
    }

    @Override
    public void deleteOsProfile(String project, String name) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            releases.deleteProfile(SoapAuthInterceptor.caller(), project, name);
            return null;
        });
    }

    @Override
    public List<ReleaseDtos.OsResource> listOsResources(String project, String profile) throws TenancyFault {
        return TenancyPortImpl.call(() -> releases.osResources(SoapAuthInterceptor.caller(), project, profile).stream()
                .map(ReleasePortImpl::resource).toList());
    }

    @Override
    public ReleaseDtos.OsResource getOsResource(String project, String profile, String version) throws TenancyFault {
        return TenancyPortImpl.call(() -> resource(releases.osResource(SoapAuthInterceptor.caller(), project, profile,
                version)));
    }

    @Override
    public ReleaseDtos.OsResource importRelease(String project, String profile, String version) throws TenancyFault {
        return TenancyPortImpl.call(() -> resource(releases.importRelease(SoapAuthInterceptor.caller(), project, profile,
                version)));
    }

    @Override
    public void removeOsResource(String project, String profile, String version) throws TenancyFault {
        TenancyPortImpl.call(() -> {
            releases.removeOsResource(SoapAuthInterceptor.caller(), project, profile, version);
            return null;
        });
    }

    // ---- mapping ------------------------------------------------------------------------------

    private static int page(int limit) {
        return limit == 0 ? DEFAULT_PAGE : limit;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Instants as ISO-8601, enums by name. */
    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** An enum value, any case; absent or blank is null. */
    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TenancyException(TenancyException.Reason.INVALID, field, field + " '" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A missing spec is a spec with every field absent: the service says what a creation lacks. */
    static Releases.ProfileSpec spec(ReleaseDtos.OsProfileSpec in) {
        ReleaseDtos.OsProfileSpec s = in == null ? new ReleaseDtos.OsProfileSpec() : in;
        return new Releases.ProfileSpec(s.releaseProfile, s.versionRange,
                parse(Releases.ProfileMode.class, "mode", s.mode), s.architecture, s.description);
    }

    static ReleaseDtos.Release release(Releases.Release r) {
        ReleaseDtos.Release d = new ReleaseDtos.Release();
        d.profile = r.profile();
        d.version = r.version();
        d.osType = text(r.osType());
        d.architecture = r.architecture();
        d.imageDigest = r.imageDigest();
        d.imageSize = r.imageSize();
        d.securityFeature = r.securityFeature();
        d.description = r.description();
        d.knownCves.addAll(r.knownCves());
        d.fixedCves.addAll(r.fixedCves());
        d.repository = r.repository();
        d.manifestDigest = r.manifestDigest();
        d.signer = r.signer();
        d.signerFingerprint = r.signerFingerprint();
        d.created = r.created();
        d.detectedAt = text(r.detectedAt());
        d.source = text(r.source());
        d.status = text(r.status());
        return d;
    }

    static ReleaseDtos.ReleaseEvent event(Releases.ReleaseEvent e) {
        ReleaseDtos.ReleaseEvent d = new ReleaseDtos.ReleaseEvent();
        d.id = e.id();
        d.occurredAt = text(e.occurredAt());
        d.source = text(e.source());
        d.repository = e.repository();
        d.tag = e.tag();
        d.manifestDigest = e.manifestDigest();
        d.profile = e.profile();
        d.version = e.version();
        d.outcome = text(e.outcome());
        d.reason = text(e.reason());
        d.detail = e.detail();
        return d;
    }

    static ReleaseDtos.Signer signer(Releases.Signer s) {
        ReleaseDtos.Signer d = new ReleaseDtos.Signer();
        d.name = s.name();
        d.subject = s.subject();
        d.fingerprint = s.fingerprint();
        d.notBefore = text(s.notBefore());
        d.notAfter = text(s.notAfter());
        d.addedBy = s.addedBy();
        d.addedAt = text(s.addedAt());
        d.revokedAt = text(s.revokedAt());
        d.revocationReason = s.revocationReason();
        d.certificate = s.certificate();
        return d;
    }

    static ReleaseDtos.RevocationList revocationList(Releases.RevocationList l) {
        ReleaseDtos.RevocationList d = new ReleaseDtos.RevocationList();
        d.issuer = l.issuer();
        d.thisUpdate = text(l.thisUpdate());
        d.nextUpdate = text(l.nextUpdate());
        d.entries = l.entries();
        d.addedBy = l.addedBy();
        d.addedAt = text(l.addedAt());
        return d;
    }

    static ReleaseDtos.OsProfile profile(Releases.OsProfile p) {
        ReleaseDtos.OsProfile d = new ReleaseDtos.OsProfile();
        d.name = p.name();
        d.releaseProfile = p.releaseProfile();
        d.versionRange = p.versionRange();
        d.mode = text(p.mode());
        d.architecture = p.architecture();
        d.description = p.description();
        d.latest = p.latest();
        d.resources = p.resources();
        d.createdAt = text(p.createdAt());
        d.updatedAt = text(p.updatedAt());
        return d;
    }

    static ReleaseDtos.OsResource resource(Releases.OsResource r) {
        ReleaseDtos.OsResource d = new ReleaseDtos.OsResource();
        d.profile = r.profile();
        d.version = r.version();
        d.latest = r.latest();
        d.release = r.release() == null ? null : release(r.release());
        d.importedBy = r.importedBy();
        d.createdAt = text(r.createdAt());
        return d;
    }
}
