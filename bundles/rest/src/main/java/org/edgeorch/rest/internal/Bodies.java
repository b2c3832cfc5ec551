package org.edgeorch.rest.internal;

import java.util.List;
import java.util.Map;

import javax.ws.rs.core.Response;

import org.edgeorch.release.Releases.ProfileMode;
import org.edgeorch.scheduling.Schedules;
import org.edgeorch.scheduling.Schedules.PolicyKind;
import org.edgeorch.tenancy.Model.SubjectType;
import org.edgeorch.tenancy.Role;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies. Unknown fields are refused (400 unknown_field). */
final class Bodies {

    private Bodies() {
    }

    /** Fails with 400 when a required body is missing. */
    static <T> T required(T body) {
        if (body == null) {
            throw new ApiException(Response.Status.BAD_REQUEST, "body_required", "this request needs a JSON body", List.of());
        }
        return body;
    }

    static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    @Schema(name = "LoginRequest")
    record Login(String username, String password) {
    }

    @Schema(name = "TokenRequest")
    record Token(String name, Integer expiresInDays) {
    }

    @Schema(name = "OrganizationRequest")
    record Organization(String name, String displayName) {
    }

    @Schema(name = "ProjectRequest")
    record Project(String organization, String name, String displayName) {
    }

    @Schema(name = "UserRequest")
    record User(String username, String displayName, String password) {
    }

    @Schema(name = "UserUpdate")
    record UserUpdate(Boolean enabled, String password) {
    }

    @Schema(name = "GroupRequest")
    record Group(String name) {
    }

    @Schema(name = "GroupMemberRequest")
    record Member(String username) {
    }

    @Schema(name = "RoleRequest")
    record RoleGrant(SubjectType subjectType, String subject, Role role) {
    }

    @Schema(name = "RegionRequest")
    record Region(String name, String parent, Map<String, String> metadata) {
    }

    @Schema(name = "SiteRequest")
    record Site(String name, String region, String address, Double latitude, Double longitude, Map<String, String> metadata) {
    }

    @Schema(name = "ClusterRequest")
    record Cluster(String name, String template, List<String> hosts, Map<String, String> metadata) {
    }

    @Schema(name = "ClusterHostsRequest")
    record ClusterHosts(List<String> hosts) {
    }

    @Schema(name = "RegionUpdate", description = "Absent fields stay as they are; \"parent\": \"\" makes the region top-level; "
            + "metadata replaces the region's own")
    record RegionUpdate(String parent, Map<String, String> metadata) {
    }

    @Schema(name = "SiteUpdate", description = "Absent fields stay as they are; \"region\": \"\" or \"address\": \"\" "
            + "removes it; metadata replaces the site's own")
    record SiteUpdate(String region, String address, Double latitude, Double longitude, Map<String, String> metadata) {
    }

    @Schema(name = "ClusterUpdate", description = "Absent fields stay as they are; metadata replaces the cluster's")
    record ClusterUpdate(String template, Map<String, String> metadata) {
    }

    @Schema(name = "HostUpdate", description = "Absent fields stay as they are; \"site\": \"\" takes the host out of its "
            + "site; metadata replaces the host's own; serialNumber corrects the serial number (\"\" removes it from a host with a UUID)")
    record HostUpdate(String site, Map<String, String> metadata, String serialNumber) {
    }

    @Schema(name = "WindowRequest", description = "A maintenance window on a target (type REGION, SITE, CLUSTER or HOST, and"
            + " its name). Single: start, an ISO-8601 instant such as 2026-06-01T22:00:00Z (or with an offset), and an"
            + " optional end. Repeated: cron, five fields (minute hour day-of-month month day-of-week; lists, ranges and"
            + " steps such as 0 2 * * 1-5 or */15 22-23 * * *), zone, an IANA time zone such as Europe/Berlin, and"
            + " duration, ISO-8601 such as PT2H")
    record Window(String name, Schedules.Target target, String start, String end, String cron, String zone,
                  String duration) {
    }

    @Schema(name = "WindowUpdate", description = "Absent fields stay as they are. start makes the window single (its cron,"
            + " zone and duration go), cron makes it repeated (its start and end go); \"end\": \"\" makes a single window"
            + " open-ended; target moves it")
    record WindowUpdate(Schedules.Target target, String start, String end, String cron, String zone, String duration) {
    }

    @Schema(name = "PolicyRequest", description = "kind LATEST follows the newest OS resource of the project's OS profile"
            + " (no version); TARGET pins version, one of the profile's OS resources")
    record Policy(PolicyKind kind, String profile, String version) {
    }

    @Schema(name = "HostRegistration", description = "autoOnboard: the host may enrol without a token, recognised by its"
            + " serial number or UUID")
    record Host(String name, String serialNumber, String uuid, String site, Map<String, String> metadata, Boolean autoOnboard) {
    }

    @Schema(name = "EnrolmentTokenRequest", description = "validity: ISO-8601 duration, 1 minute to 365 days (default P1D);"
            + " maxUses: absent for no limit")
    record EnrolmentToken(String name, String site, String validity, Integer maxUses) {
    }

    @Schema(name = "HostInvalidation")
    record Invalidation(String reason) {
    }

    @Schema(name = "ReleaseCheckRequest", description = "Both absent: check the whole registry now, as the polling route"
            + " does. Both given: check that one tag, even when it was seen before")
    record ReleaseCheck(String repository, String tag) {
    }

    @Schema(name = "ReleaseSignerRequest", description = "certificate: the signer's X.509 certificate, PEM")
    record Signer(String name, String certificate) {
    }

    @Schema(name = "ReleaseSignerRevocation")
    record SignerRevocation(String reason) {
    }

    @Schema(name = "RevocationListRequest", description = "crl: an X.509 CRL of a trusted CA, PEM; it replaces that CA's"
            + " previous list")
    record RevocationList(String crl) {
    }

    @Schema(name = "OsProfileRequest", description = "versionRange: an npm-style range such as ~1.4.0, ^1.4.0, 1.4.x,"
            + " >=1.2.0 <2.0.0 or *; architecture absent for any")
    record OsProfile(String name, String releaseProfile, String versionRange, ProfileMode mode, String architecture,
                     String description) {
    }

    @Schema(name = "OsProfileUpdate", description = "Absent fields stay as they are")
    record OsProfileUpdate(String releaseProfile, String versionRange, ProfileMode mode, String architecture,
                           String description) {
    }

    @Schema(name = "OsResourceImport", description = "version: a verified release of the profile's release profile, in"
            + " its range")
    record OsResourceImport(String version) {
    }

    /** What {@code GET /auth/me} answers: the caller and its roles per project name. */
    @Schema(name = "Me")
    record Me(String username, String organization, boolean platformAdmin, List<String> administersOrganizations,
              java.util.Map<String, java.util.Set<Role>> projectRoles) {
    }

    /**
     * What {@code GET /auth/oidc} answers: whether the dashboard offers a login with the OpenID Connect provider and
     * how (authorization code with PKCE for the public client {@code clientId}; the access token is asked for
     * {@code audience} as a resource indicator when that is set).
     */
    @Schema(name = "OidcConfiguration")
    record OidcConfiguration(boolean enabled, String issuer, String clientId, String scope, String audience,
                             String authorizationEndpoint, String tokenEndpoint, String endSessionEndpoint) {

        static final OidcConfiguration OFF = new OidcConfiguration(false, null, null, null, null, null, null, null);

        static OidcConfiguration of(org.edgeorch.tenancy.Model.OidcLogin l) {
            return new OidcConfiguration(true, l.issuer(), l.clientId(), l.scope(), l.audience(), l.authorizationEndpoint(),
                    l.tokenEndpoint(), l.endSessionEndpoint());
        }
    }
}
