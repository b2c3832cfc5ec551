// Logging in with the OpenID Connect provider: authorization code with PKCE (RFC 7636), all in the browser. The
// orchestrator only says where the provider is (GET /auth/oidc) and verifies the access token the provider
// issues, as it does on every call; this page never sees a password. The code is exchanged at the provider's
// token endpoint by fetch() (the one place outside the orchestrator the Content-Security-Policy lets pages call).

const KEY = 'edgeorch.oidc';

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));

export const redirectUri = () => `${location.origin}/ui/oidc-callback`;

/** An audience that is an absolute URI is asked for as a resource indicator (RFC 8707). */
const resourceOf = (config) => (config.audience && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(config.audience) ? config.audience : null);

/** Goes to the provider's login; `next` is the dashboard page to return to. */
export async function start(config, next) {
  if (!window.isSecureContext || !crypto.subtle) {
    throw new Error('Logging in with the identity provider needs the dashboard over HTTPS.');
  }
  const verifier = random(32);
  const state = random(16);
  const challenge = b64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(KEY, JSON.stringify({ verifier, state, next, issuer: config.issuer, clientId: config.clientId,
    tokenEndpoint: config.tokenEndpoint, resource: resourceOf(config) }));
  const url = new URL(config.authorizationEndpoint);
  const q = { response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: config.scope || 'openid',
    state, nonce: random(16), code_challenge: challenge, code_challenge_method: 'S256' };
  Object.entries(q).forEach(([k, v]) => url.searchParams.set(k, v));
  if (resourceOf(config)) url.searchParams.set('resource', resourceOf(config));
  location.assign(url.toString());
}

/**
 * Back from the provider (the callback page's query): checks the state (and the issuer, RFC 9207, when the
 * provider names it), exchanges the code with the verifier and returns {token, next}.
 */
export async function finish(query) {
  const saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
  sessionStorage.removeItem(KEY);
  if (query.get('error')) {
    throw new Error(`The identity provider did not log you in: ${query.get('error_description') || query.get('error')}.`);
  }
  if (!saved || !query.get('state') || query.get('state') !== saved.state) {
    throw new Error('This login was not started here, or was already used. Please log in again.');
  }
  if (query.get('iss') && query.get('iss') !== saved.issuer) {
    throw new Error(`The answer came from ${query.get('iss')}, not from the configured identity provider.`);
  }
  const body = new URLSearchParams({ grant_type: 'authorization_code', code: query.get('code') || '', redirect_uri: redirectUri(),
    client_id: saved.clientId, code_verifier: saved.verifier });
  if (saved.resource) body.set('resource', saved.resource);
  let resp;
  try {
    resp = await fetch(saved.tokenEndpoint, { method: 'POST', body, headers: { Accept: 'application/json' }, credentials: 'omit' });
  } catch (e) {
    throw new Error('The identity provider cannot be reached.');
  }
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok || !data.access_token) {
    throw new Error(`The identity provider issued no token: ${data.error_description || data.error || `HTTP ${resp.status}`}.`);
  }
  return { token: data.access_token, next: saved.next };
}
