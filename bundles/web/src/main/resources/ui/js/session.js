// Who is logged in, which projects they see and what their roles let them do there.
import { api, get, setToken, token } from './api.js';

let me = null;
let matrix = null;

export async function login(username, password) {
  const issued = await api('POST', '/auth/login', { username, password });
  return useToken(issued.token);
}

/** Logs in with a bearer token got elsewhere (the OpenID Connect provider's): the orchestrator says whose it is. */
export async function useToken(t) {
  setToken(t);
  me = null;
  return load();
}

export function logout() {
  setToken(null);
  me = null;
}

export function loggedIn() {
  return !!token();
}

/** The caller and the role matrix, fetched once per login. */
export async function load() {
  if (me) return me;
  const [who, roles] = await Promise.all([get('/auth/me'), matrix ? Promise.resolve(matrix) : fetch('/ui/roles.json').then((r) => r.json())]);
  matrix = roles;
  me = who;
  return me;
}

export function user() {
  return me;
}

/** Project names the user has a role in, sorted. */
export function projects() {
  return me ? Object.keys(me.projectRoles || {}).sort() : [];
}

/**
 * Whether the user's roles in the project carry the permission (PROJECT_READ, AUDIT_READ, HOST_REGISTER,
 * HOST_WRITE, CONFIG_WRITE, OPERATE, MEMBERS_MANAGE). Only decides what is shown: the API decides what is allowed.
 */
export function can(project, permission) {
  const roles = (me && me.projectRoles && me.projectRoles[project]) || [];
  return roles.some((r) => (matrix[r] || []).includes(permission));
}

export function platformAdmin() {
  return !!(me && me.platformAdmin);
}

const LAST = 'edgeorch.project';
export function lastProject() {
  const p = localStorage.getItem(LAST);
  return p && projects().includes(p) ? p : projects()[0];
}
export function rememberProject(p) {
  localStorage.setItem(LAST, p);
}
