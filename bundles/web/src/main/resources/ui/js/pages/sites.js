import { get, query, seg } from '../api.js';
import { h, link, number, replace, section, table } from '../dom.js';
import { siteMap } from '../map.js';

export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}`;
  const [sites, regions, bad] = await Promise.all([get(`${base}/sites`), get(`${base}/regions`),
    Promise.all(['ERROR', 'NO_CONNECTION'].map((s) => get(`${base}/hosts${query({ status: s, limit: 1000 })}`)))]);
  // Per site: hosts in ERROR (red) and NO_CONNECTION (amber); a site with neither is green.
  const problems = new Map();
  bad.forEach((pg, i) => pg.hosts.forEach((x) => {
    if (!x.site) return;
    const c = problems.get(x.site) || { ERROR: 0, NO_CONNECTION: 0 };
    c[i === 0 ? 'ERROR' : 'NO_CONNECTION'] += 1;
    problems.set(x.site, c);
  }));
  const count = (s) => { const c = problems.get(s); return c ? c.ERROR + c.NO_CONNECTION : 0; };
  const health = (s) => { const c = problems.get(s); return !c ? 'ok' : c.ERROR ? 'bad' : 'warn'; };
  const label = (s) => { const c = problems.get(s);
    return !c ? 'no host with problems' : `${c.ERROR} in error, ${c.NO_CONNECTION} without connection`; };
  const hostsOf = (s) => `/ui/projects/${encodeURIComponent(p)}/hosts?site=${encodeURIComponent(s)}`;
  const mapEl = h('div', { id: 'site-map', role: 'region', 'aria-label': 'Map of the sites, coloured by health' });
  replace(main, h('h1', null, 'Sites ', h('span', { class: 'muted' }, p)),
    section('Map', mapEl,
      h('p', { class: 'legend muted' }, h('span', { class: 'dot ok' }), ' healthy ', h('span', { class: 'dot warn' }),
        ' hosts without connection ', h('span', { class: 'dot bad' }), ' hosts in error · sites without coordinates are only in the table')),
    h('div', { class: 'grid2' },
      section('Regions', regionTree(regions, sites)),
      section('Sites', table(['Site', 'Region', 'Address', 'Coordinates', 'Hosts with problems'],
        sites.map((s) => [link(hostsOf(s.name), s.name), s.region || '—', s.address || '—',
          s.latitude != null ? `${s.latitude.toFixed(4)}, ${s.longitude.toFixed(4)}` : '—', number(count(s.name))]),
        { caption: 'Sites', empty: 'No site.' }))));
  let remove = null;
  try {
    remove = await siteMap(mapEl, sites.map((s) => ({ name: s.name, latitude: s.latitude, longitude: s.longitude,
      health: health(s.name), label: label(s.name), href: hostsOf(s.name) })), (href) => ctx.navigate(href));
    mapEl.dataset.ready = 'true';
  } catch (e) {
    replace(mapEl, h('p', { class: 'muted empty' }, `The map is not available: ${e.message}.`));
  }
  return () => { if (remove) remove(); };
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
