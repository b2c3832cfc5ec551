import { get, query } from '../api.js';
import { bytes, h, replace, table, when } from '../dom.js';

export async function render(main, ctx) {
  const profile = ctx.query.get('profile') || '';
  const releases = await get(`/releases${query({ profile, limit: 200 })}`);
  replace(main, h('h1', null, 'Releases'),
    h('p', { class: 'muted' }, 'Verified OS releases published to the release service; a project uses them through its OS profiles.'),
    table(['Profile', 'Version', 'OS type', 'Arch', 'Size', 'Security', 'Signer', 'CVEs fixed', 'Detected'],
      releases.map((r) => [r.profile, r.version, r.osType, r.architecture, bytes(r.imageSize), r.securityFeature || '—', r.signer || '—',
        (r.fixedCves || []).join(', ') || '—', when(r.detectedAt)]),
      { caption: 'Releases', empty: 'No verified release yet.' }));
}
