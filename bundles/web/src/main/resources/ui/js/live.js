// Live updates, in one place so the pages do not care how they arrive.
//
// A page says what it shows (a project and the kinds of change it cares about: 'hosts', 'rollouts', ...) and
// how to refresh. This module keeps one connection per project to the orchestrator's event stream
// (GET /api/v1/projects/{p}/events/stream, Server-Sent Events) and refreshes a page when an event of a kind it
// watches arrives, so a quiet fleet costs the orchestrator nothing. The stream is read with fetch(), not
// EventSource, because EventSource cannot send the Authorization header. When the stream is not available
// (an orchestrator without it, or a connection that keeps failing) the pages refresh on a slow timer instead,
// and only while the tab is visible.

import { token } from './api.js';

const POLL_MS = 15000;
const DEBOUNCE_MS = 250;
const RETRY_MS = [1000, 2000, 5000, 10000, 30000];
const watchers = new Set();

/** Which page kinds an event type concerns, by its domain prefix (host.status-changed → host). */
const KINDS = {
  host: ['hosts'], onboarding: ['hosts'], inventory: ['hosts'],
  'update-run': ['hosts', 'rollouts'], rollout: ['rollouts'], wave: ['rollouts'],
  deployment: ['deployments', 'hosts'], app: ['deployments'], release: ['releases'], alert: ['alerts', 'hosts'],
};
export const kindsOf = (type) => KINDS[String(type).split('.')[0]] || [];

/**
 * Calls refresh() whenever something of the given kinds may have changed in the project.
 * Returns a function that stops watching (the router calls it when the page is left).
 */
export function watch(project, kinds, refresh) {
  const w = { project, kinds: new Set(kinds), refresh, busy: false, again: false };
  watchers.add(w);
  connect(project);
  ensureTimer();
  return () => {
    watchers.delete(w);
    // Kept a few seconds, so that going from page to page of a project keeps one connection.
    setTimeout(() => { if (![...watchers].some((x) => x.project === project)) disconnect(project); }, 5000);
    if (!watchers.size) stopTimer();
  };
}

/** What identifies a focused control across a redraw of the page: its id, link target, name or label. */
function focusKey(el) {
  const main = document.getElementById('main');
  if (!el || el === document.body || el === main || !main || !main.contains(el)) return null;
  return { tag: el.tagName, id: el.id, href: el.getAttribute('href'), name: el.getAttribute('name'), text: (el.textContent || '').trim() };
}

/** After a redraw took the focus away, gives it to the control that stands where the focused one stood. */
function restoreFocus(key, before) {
  if (!key || (document.activeElement && document.activeElement !== document.body && document.contains(before))) return;
  const main = document.getElementById('main');
  const same = [...main.querySelectorAll(key.tag)].find((el) => (key.id && el.id === key.id)
    || (!key.id && key.href && el.getAttribute('href') === key.href)
    || (!key.id && !key.href && key.name && el.getAttribute('name') === key.name)
    || (!key.id && !key.href && !key.name && (el.textContent || '').trim() === key.text));
  if (same) same.focus({ preventScroll: true });
}

/** Runs a watcher's refresh, never two at once for the same page; a change during a refresh runs it once more. */
async function fire(w) {
  if (w.busy) { w.again = true; return; }
  w.busy = true;
  const before = document.activeElement;
  const key = focusKey(before);
  try { await w.refresh(); restoreFocus(key, before); } catch (e) { /* the page shows its own errors */ } finally {
    w.busy = false;
    if (w.again && watchers.has(w)) { w.again = false; fire(w); }
  }
}

/** An event of `kind` happened in `project`: refresh the pages that show it, a little later, once. */
export function changed(project, kind) {
  watchers.forEach((w) => {
    if (w.project !== project || !w.kinds.has(kind)) return;
    clearTimeout(w.debounce);
    w.debounce = setTimeout(() => fire(w), DEBOUNCE_MS);
  });
}

// ---- the event stream, one per project ----

const streams = new Map(); // project -> {controller, lastId, failures, live, retry}

/** True while a project's stream is connected: the timer then leaves that project's pages alone. */
export const streaming = (project) => !!(streams.get(project) && streams.get(project).live);

function connect(project) {
  if (streams.has(project)) return;
  const s = { controller: null, lastId: null, failures: 0, live: false, retry: null, unavailable: false };
  streams.set(project, s);
  open(project, s);
}

function disconnect(project) {
  const s = streams.get(project);
  if (!s) return;
  streams.delete(project);
  clearTimeout(s.retry);
  if (s.controller) s.controller.abort();
}

async function open(project, s) {
  if (streams.get(project) !== s || s.unavailable) return;
  s.controller = new AbortController();
  const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${token()}` };
  if (s.lastId) headers['Last-Event-ID'] = s.lastId;
  try {
    const r = await fetch(`/api/v1/projects/${encodeURIComponent(project)}/events/stream`, { headers, signal: s.controller.signal, cache: 'no-store' });
    if (r.status === 404 || r.status === 405 || r.status === 501) { s.unavailable = true; return; }
    if (!r.ok || !r.body) throw new Error(`HTTP ${r.status}`);
    s.live = true;
    s.failures = 0;
    // Whatever happened while we were not connected: refresh once now.
    if (s.lastId === null) s.lastId = '';
    else watchers.forEach((w) => { if (w.project === project) fire(w); });
    await read(r.body, project, s);
    throw new Error('the stream ended');
  } catch (e) {
    s.live = false;
    if (streams.get(project) !== s || (e && e.name === 'AbortError')) return;
    s.retry = setTimeout(() => open(project, s), RETRY_MS[Math.min(s.failures++, RETRY_MS.length - 1)]);
  }
}

/** Reads Server-Sent Events frames (id:, event:, data:, comments) until the body ends. */
async function read(body, project, s) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      const ev = parse(frame);
      if (ev.id) s.lastId = ev.id;
      if (ev.type) kindsOf(ev.type).forEach((k) => changed(project, k));
    }
    if (buffer.length > 1 << 20) buffer = ''; // a frame this long is not ours
  }
}

export function parse(frame) {
  const ev = { id: null, type: null, data: [] };
  for (const line of frame.split(/\r?\n/)) {
    if (!line || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') ev.id = value;
    else if (field === 'event') ev.type = value;
    else if (field === 'data') ev.data.push(value);
  }
  if (!ev.type && ev.data.length) {
    try { ev.type = JSON.parse(ev.data.join('\n')).type || null; } catch (e) { /* not JSON */ }
  }
  return ev;
}

// ---- the fallback: a slow timer for the projects without a stream ----

let timer = null;
function ensureTimer() {
  if (timer === null) timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    watchers.forEach((w) => { if (!streaming(w.project)) fire(w); });
  }, POLL_MS);
}
function stopTimer() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') watchers.forEach((w) => { if (!streaming(w.project)) fire(w); });
});

// A page left for another is closed, or kept in the back/forward cache: either way its streams end now, so a
// kept page does not hold a connection (a browser has only six per server), and come back with the page.
window.addEventListener('pagehide', () => {
  [...streams.keys()].forEach(disconnect);
});
window.addEventListener('pageshow', (ev) => {
  if (!ev.persisted) return;
  new Set([...watchers].map((w) => w.project)).forEach((p) => connect(p));
  watchers.forEach((w) => fire(w));
});
