// A real OpenID Connect provider for the dashboard's browser test: node-oidc-provider with its built-in login and
// consent pages (any user name and password), the public client "edge-dashboard" (authorization code, PKCE
// required), access tokens as JWTs for the resource indicator AUDIENCE only (RFC 8707), carrying
// preferred_username and edgeorch_roles ("shop:VIEWER" for every user), and a confidential client "robot" with
// client credentials, whose tokens may be asked for another audience so the test can see those refused.
// Usage: node provider.mjs PORT REDIRECT_URI AUDIENCE OTHER_AUDIENCE
import { generateKeyPairSync } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

const [port, redirectUri, audience, otherAudience] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'edge-dashboard', token_endpoint_auth_method: 'none', application_type: 'web', id_token_signed_response_alg: 'ES256',
      redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] },
    { client_id: 'robot', client_secret: 'robot-secret', grant_types: ['client_credentials'], redirect_uris: [], id_token_signed_response_alg: 'ES256',
      response_types: [] },
  ],
  jwks: { keys: [{ ...key, kid: 'test-es256', alg: 'ES256', use: 'sig' }] },
  cookies: { keys: ['edge-test-cookie-key'] },
  scopes: ['openid', 'profile'],
  claims: { openid: ['sub'], profile: ['preferred_username'] },
  findAccount: (ctx, id) => ({ accountId: id, claims: () => ({ sub: id, preferred_username: id }) }),
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== audience && resource !== otherAudience) throw new errors.InvalidTarget();
        return { scope: 'openid profile', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 600,
          jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  extraTokenClaims: (ctx, token) => ({
    preferred_username: token.accountId || token.clientId,
    edgeorch_roles: token.accountId ? ['shop:VIEWER'] : [],
  }),
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider listening at ${issuer}`));
