import { get, query, seg } from '../api.js';
import { ago, badge, h, link, number, replace, section, table } from '../dom.js';
import { watch } from '../live.js';
import { deploymentHref } from './deployments.js';
import { ATTENTION, STATUSES, alertsHref, hostHref, rolloutLink, subjectOf, waveBars } from '../widgets.js';

/** Deployment states still moving or needing a look; how many deployments (the first in the API's order) the overview asks about. */
const UNSETTLED = new Set(['DEPLOYING', 'DEGRADED', 'ERROR']);
const DEPLOYMENTS = 10;

export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}`;
  const tiles = h('ul', { class: 'tiles', id: 'status-tiles', 'aria-label': 'Hosts by status' });
  const attention = h('div', { id: 'attention' });
  const sites = h('div', { id: 'problem-sites' });
  const rollouts = h('div', { id: 'active-rollouts' });
  const alerts = h('div', { id: 'firing-alerts' });
  const deployments = h('div', { id: 'active-deployments' });
  replace(main,
    h('h1', null, 'Overview ', h('span', { class: 'muted' }, p)),
    tiles,
    section('Alerts firing', alerts),
    h('div', { class: 'grid2' },
      section('Needing attention', attention),
      section('Sites with problems', sites)),
    section('Rollouts in progress', rollouts),
    section('Deployments in progress', deployments));

  async function refresh() {
    const [counts, bad, active, firing, statuses] = await Promise.all([
      Promise.all(STATUSES.map((s) => get(`${base}/hosts${query({ status: s, limit: 1 })}`).then((r) => [s, r.total]))),
      Promise.all(['ERROR', 'NO_CONNECTION'].map((s) => get(`${base}/hosts${query({ status: s, sort: 'LAST_SEEN_AT', order: 'asc', limit: 200 })}`))),
      Promise.all(['RUNNING', 'PAUSED'].map((s) => get(`${base}/rollouts${query({ state: s, limit: 50 })}`))),
      get(`${base}/alerts${query({ state: 'FIRING', limit: 5 })}`),
      // a few deployments' states (each status lists its hosts)
      get(`${base}/deployments`).then((ds) => Promise.all(ds.slice(0, DEPLOYMENTS).map((d) => get(`${base}/deployments/${seg(d.name)}/status`)
        .catch(() => null)))).catch(() => []),
    ]);
    replace(alerts, table(['Severity', 'Rule', 'Subject', 'Since', 'Acknowledged'],
      firing.alerts.map((a) => [badge(a.severity), a.rule, subjectOf(p, a), ago(a.since), a.acknowledgedBy || '—']),
      { caption: 'Alerts firing', empty: 'No alert is firing.' }),
    h('p', { id: 'firing-count', dataset: { count: firing.total } },
      link(alertsHref(p), firing.total > firing.alerts.length ? `All ${number(firing.total)} firing alerts…` : 'Alerts')));
    const total = counts.reduce((a, [, n]) => a + n, 0);
    const tileItems = counts.map(([s, n]) => h('li', { class: `tile ${ATTENTION.has(s) && n > 0 ? 'alert' : ''}`, dataset: { status: s, count: n } },
      link(`/ui/projects/${encodeURIComponent(p)}/hosts?status=${s}`, h('span', { class: 'tile-count' }, number(n)), badge(s))));
    tileItems.push(h('li', { class: 'tile total', dataset: { status: 'ALL', count: total } },
      link(`/ui/projects/${encodeURIComponent(p)}/hosts`, h('span', { class: 'tile-count' }, number(total)), h('span', null, 'all hosts'))));
    replace(tiles, tileItems);

    const hosts = bad.flatMap((page) => page.hosts);
    replace(attention, table(['Host', 'Status', 'Site', 'Last seen', 'Reason'],
      hosts.slice(0, 15).map((x) => [link(hostHref(p, x.name), x.name), badge(x.status), x.site || '—', ago(x.lastSeenAt), x.statusReason || '']),
      { caption: 'Hosts needing attention', empty: 'No host is in error or out of contact.' }),
    hosts.length > 15 ? h('p', null, link(`/ui/projects/${encodeURIComponent(p)}/hosts?status=NO_CONNECTION`, `and ${number(bad.reduce((a, x) => a + x.total, 0) - 15)} more…`)) : null);

    const bySite = new Map();
    for (const x of hosts) {
      const k = x.site || '(no site)';
      const e = bySite.get(k) || { ERROR: 0, NO_CONNECTION: 0 };
      e[x.status]++;
      bySite.set(k, e);
    }
    const ranked = [...bySite.entries()].sort((a, b) => (b[1].ERROR + b[1].NO_CONNECTION) - (a[1].ERROR + a[1].NO_CONNECTION)).slice(0, 10);
    replace(sites, table(['Site', 'In error', 'No connection'],
      ranked.map(([s, e]) => [s === '(no site)' ? s : link(`/ui/projects/${encodeURIComponent(p)}/hosts?site=${encodeURIComponent(s)}`, s), number(e.ERROR), number(e.NO_CONNECTION)]),
      { caption: 'Sites with problems', empty: 'Every site is healthy.' }));

    const list = active.flat();
    replace(rollouts, list.length ? h('ul', { class: 'rollouts' }, list.map((r) => h('li', { dataset: { rollout: r.name } },
      h('div', { class: 'rollout-head' }, rolloutLink(p, r), ' ', badge(r.state), h('span', { class: 'muted' }, ` ${r.osProfile} ${r.version} · ${r.counts.succeeded + r.counts.failed}/${r.counts.hosts} hosts done`)),
      waveBars(r)))) : h('p', { class: 'muted empty' }, 'No rollout is running or paused.'));

    const moving = statuses.filter((st) => st && UNSETTLED.has(st.state));
    replace(deployments, table(['Deployment', 'Application', 'State', 'Hosts'],
      moving.map((st) => [link(deploymentHref(p, st.deployment), st.deployment), `${st.application} ${st.version}`, badge(st.state),
        Object.entries(st.counts).filter(([, n]) => n).map(([k, n]) => `${number(n)} ${k.toLowerCase().replaceAll('_', ' ')}`).join(' · ') || '—']),
      { caption: 'Deployments in progress', empty: 'Every deployment is settled.' }));
  }

  await refresh();
  return watch(p, ['hosts', 'rollouts', 'alerts', 'deployments'], refresh);
}
