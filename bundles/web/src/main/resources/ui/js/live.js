// Live updates, in one place so the pages do not care how they arrive.
//
// A page says what it shows (a project and the kinds of change it cares about: 'hosts', 'rollouts', ...) and
// how to refresh. Until the orchestrator's event stream is available this module refreshes on a slow timer,
// only while the tab is visible; with the stream it refreshes when an event of a watched kind arrives, so a
// quiet fleet costs the orchestrator nothing. Switching is this file's business alone.

const POLL_MS = 15000;
const watchers = new Set();

/**
 * Calls refresh() whenever something of the given kinds may have changed in the project.
 * Returns a function that stops watching (the router calls it when the page is left).
 */
export function watch(project, kinds, refresh) {
  const w = { project, kinds: new Set(kinds), refresh, busy: false };
  watchers.add(w);
  ensureTimer();
  return () => {
    watchers.delete(w);
    if (!watchers.size) stopTimer();
  };
}

/** Runs a watcher's refresh, never two at once for the same page. */
async function fire(w) {
  if (w.busy) return;
  w.busy = true;
  try { await w.refresh(); } catch (e) { /* the page shows its own errors */ } finally { w.busy = false; }
}

let timer = null;
function ensureTimer() {
  if (timer === null) timer = setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    watchers.forEach(fire);
  }, POLL_MS);
}
function stopTimer() {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') watchers.forEach(fire);
});

/** For the event stream: an event of `kind` happened in `project`. */
export function changed(project, kind) {
  watchers.forEach((w) => {
    if (w.project === project && w.kinds.has(kind)) fire(w);
  });
}
