import { get, query, seg } from '../api.js';
import { h, link, number, replace, section, table } from '../dom.js';

export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}`;
  const [sites, regions, bad] = await Promise.all([get(`${base}/sites`), get(`${base}/regions`),
    Promise.all(['ERROR', 'NO_CONNECTION'].map((s) => get(`${base}/hosts${query({ status: s, limit: 1000 })}`)))]);
  const problems = new Map();
  bad.flatMap((pg) => pg.hosts).forEach((x) => { if (x.site) problems.set(x.site, (problems.get(x.site) || 0) + 1); });
  const hostsOf = (s) => `/ui/projects/${encodeURIComponent(p)}/hosts?site=${encodeURIComponent(s)}`;
  replace(main, h('h1', null, 'Sites ', h('span', { class: 'muted' }, p)),
    h('div', { class: 'grid2' },
      section('Regions', regionTree(regions, sites)),
      section('Sites', table(['Site', 'Region', 'Address', 'Coordinates', 'Hosts with problems'],
        sites.map((s) => [link(hostsOf(s.name), s.name), s.region || '—', s.address || '—',
          s.latitude != null ? `${s.latitude.toFixed(4)}, ${s.longitude.toFixed(4)}` : '—', number(problems.get(s.name) || 0)]),
        { caption: 'Sites', empty: 'No site.' }))));
}

/** Regions nested under their parents, each with its sites. */
function regionTree(regions, sites) {
  const children = new Map();
  regions.forEach((r) => { const k = r.parent || ''; children.set(k, [...(children.get(k) || []), r]); });
  const sitesIn = new Map();
  sites.forEach((s) => { const k = s.region || ''; sitesIn.set(k, [...(sitesIn.get(k) || []), s]); });
  const seen = new Set();
  const branch = (parent) => {
    const rs = (children.get(parent) || []).filter((r) => !seen.has(r.name));
    if (!rs.length) return null;
    return h('ul', { class: 'tree' }, rs.map((r) => {
      seen.add(r.name);
      return h('li', { dataset: { region: r.name } }, h('span', { class: 'region' }, r.name),
        (sitesIn.get(r.name) || []).length ? h('ul', { class: 'tree-sites' }, sitesIn.get(r.name).map((s) => h('li', null, s.name))) : null,
        branch(r.name));
    }));
  };
  return branch('') || h('p', { class: 'muted empty' }, 'No region.');
}
