import { get, seg } from '../api.js';
import { ago, h, link, replace, section, table } from '../dom.js';

/** The project's applications, each with its verified versions: runtime, artifacts, parameters and signer. */
export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}`;
  const [apps, deployments] = await Promise.all([get(`${base}/apps`), get(`${base}/deployments`)]);
  const versions = await Promise.all(apps.map((a) => a.versions.length
    ? get(`${base}/apps/${seg(a.name)}/versions/${seg(a.versions[0])}`) : Promise.resolve(null)));
  const deployed = new Map();
  deployments.forEach((d) => deployed.set(d.application, (deployed.get(d.application) || 0) + 1));
  replace(main, h('h1', null, 'Applications ', h('span', { class: 'muted' }, p)),
    h('p', null, link(`/ui/projects/${encodeURIComponent(p)}/deployments`, `Deployments (${deployments.length})`)),
    section('Applications', table(['Application', 'Versions', 'Newest', 'Runtime', 'Parameters', 'Signed by', 'Deployments', 'Created'],
      apps.map((a, i) => {
        const v = versions[i];
        return [h('span', { class: 'wrap' }, a.name), a.versions.join(', ') || '—', v ? v.version : '—', v ? v.runtime.toLowerCase() : '—',
          v ? v.parameters.map((t) => `${t.name}${t.secret ? ' (secret)' : ''}`).join(', ') || '—' : '—',
          v ? v.signer : '—', String(deployed.get(a.name) || 0), ago(a.createdAt)];
      }), { caption: 'Applications', empty: 'No application yet.' })));
}
