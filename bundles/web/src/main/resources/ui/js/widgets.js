// Pieces several pages share.
import { query } from './api.js';
import { h, link, number } from './dom.js';

/** Host statuses, the ones needing attention first. */
export const STATUSES = ['ERROR', 'NO_CONNECTION', 'INVALIDATED', 'REGISTERED', 'ONBOARDED', 'RUNNING'];
export const ATTENTION = new Set(['ERROR', 'NO_CONNECTION', 'INVALIDATED']);

export const hostHref = (project, name) => `/ui/projects/${encodeURIComponent(project)}/hosts/${encodeURIComponent(name)}`;
export const rolloutHref = (project, name) => `/ui/projects/${encodeURIComponent(project)}/rollouts/${encodeURIComponent(name)}`;

/** One bar: succeeded, failed and pending parts of a count, with the figures in words for screen readers. */
export function progress(counts, label) {
  const total = Math.max(counts.hosts, 1);
  const pct = (n) => `${(n * 100 / total).toFixed(2)}%`;
  const words = `${label}: ${number(counts.succeeded)} succeeded, ${number(counts.failed)} failed, ${number(counts.pending)} pending of ${number(counts.hosts)}`;
  return h('div', { class: 'bar', role: 'img', 'aria-label': words, title: words,
    dataset: { succeeded: counts.succeeded, failed: counts.failed, pending: counts.pending, hosts: counts.hosts } },
  h('span', { class: 'ok', style: { width: pct(counts.succeeded) } }),
  h('span', { class: 'bad', style: { width: pct(counts.failed) } }));
}

/** A rollout's waves as one bar each. */
export function waveBars(rollout) {
  return h('ol', { class: 'waves' }, rollout.waves.map((w) => h('li', { dataset: { wave: w.number, state: w.state } },
    h('span', { class: 'wave-label' }, `Wave ${w.number}`),
    progress(w.counts, `Wave ${w.number}`),
    h('span', { class: 'wave-figures' }, `${w.counts.succeeded + w.counts.failed}/${w.counts.hosts} · ${w.state.toLowerCase()}`))));
}

export function rolloutLink(project, r) {
  return link(rolloutHref(project, r.name), r.name);
}

export const alertsHref = (project, params) => `/ui/projects/${encodeURIComponent(project)}/alerts${query(params || {})}`;

/** What an alert is about, as a link where the dashboard has a page for it. */
export function subjectOf(p, a) {
  if (a.kind === 'ROLLOUT_PAUSED') return link(rolloutHref(p, a.subject), a.subject);
  if (a.host && a.subject === a.host) return link(hostHref(p, a.host), a.subject);
  if (a.host) return h('span', null, link(hostHref(p, a.host), a.host), a.subject.slice(a.host.length));
  return a.subject;
}
