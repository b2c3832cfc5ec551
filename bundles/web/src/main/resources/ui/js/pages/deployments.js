import { get, seg } from '../api.js';
import { ago, facts, h, link, replace, section, table } from '../dom.js';
import { watch } from '../live.js';
import { hostHref } from '../widgets.js';

export const deploymentHref = (project, name) => `/ui/projects/${encodeURIComponent(project)}/deployments/${encodeURIComponent(name)}`;

/** The project's deployments, or one deployment with the hosts it targets now. */
export async function render(main, ctx) {
  const p = ctx.project;
  const one = ctx.params[1];
  return one ? detail(main, ctx, p, one) : list(main, ctx, p);
}

const target = (d) => d.targetKind === 'SELECTOR' ? `selector: ${d.selector}` : `hosts: ${d.hosts.join(', ')}`;

async function list(main, ctx, p) {
  const box = h('div', { id: 'deployment-list' });
  replace(main, h('h1', null, 'Deployments ', h('span', { class: 'muted' }, p)),
    h('p', null, link(`/ui/projects/${encodeURIComponent(p)}/apps`, 'Applications')), box);
  async function refresh() {
    const ds = await get(`/projects/${seg(p)}/deployments`);
    replace(box, table(['Deployment', 'Application', 'Version', 'Profile', 'Target', 'Created by', 'Updated'],
      ds.map((d) => [link(deploymentHref(p, d.name), d.name), d.application, d.version, d.profile || '—',
        h('span', { class: 'wrap' }, target(d)), d.createdBy || '—', ago(d.updatedAt || d.createdAt)]),
      { caption: 'Deployments', empty: 'No deployment yet.' }));
  }
  await refresh();
  return watch(p, ['deployments'], refresh);
}

async function detail(main, ctx, p, name) {
  const base = `/projects/${seg(p)}/deployments/${seg(name)}`;
  const [d, targets] = await Promise.all([get(base), get(`${base}/targets`)]);
  const overrides = Object.entries(d.overrides);
  replace(main, h('h1', null, 'Deployment ', h('span', { class: 'wrap' }, d.name)),
    h('p', null, link(`/ui/projects/${encodeURIComponent(p)}/deployments`, 'All deployments')),
    h('div', { class: 'grid2' },
      section('What', facts([['Application', `${d.application} ${d.version}`], ['Profile', d.profile],
        ['Overrides', overrides.length ? overrides.map(([k, v]) => `${k}=${v}`).join(', ') : null],
        ['Target', h('span', { class: 'wrap' }, target(d))], ['Created', h('span', null, d.createdBy || '—', ' · ', ago(d.createdAt))]])),
      section(`Targeted hosts (${targets.length})`, table(['Host', 'Metadata'],
        targets.map((t) => [link(hostHref(p, t.host), t.host),
          Object.entries(t.metadata).map(([k, v]) => `${k}=${v}`).join(', ') || '—']),
        { caption: 'Targeted hosts', empty: 'No host matches the target now.' }))));
}
