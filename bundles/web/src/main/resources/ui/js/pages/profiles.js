import { get, post, seg } from '../api.js';
import { badge, h, replace, section, table, toast, when } from '../dom.js';
import { field, formError, onSubmit } from '../forms.js';

export async function render(main, ctx) {
  const p = ctx.project;
  const base = `/projects/${seg(p)}/os-profiles`;
  const profiles = await get(base);
  const resources = await Promise.all(profiles.map((x) => get(`${base}/${seg(x.name)}/resources`).catch(() => [])));
  replace(main, h('h1', null, 'OS profiles ', h('span', { class: 'muted' }, p)),
    ctx.can('CONFIG_WRITE') ? createForm(base, ctx) : null,
    table(['Profile', 'Follows', 'Versions', 'Mode', 'Arch', 'Latest', 'Resources', 'Updated'],
      profiles.map((x) => [x.name, x.releaseProfile, x.versionRange, badge(x.mode), x.architecture || 'any', x.latest || '—', String(x.resources), when(x.updatedAt)]),
      { caption: 'OS profiles', empty: 'No OS profile: create one to follow a release profile.' }),
    profiles.map((x, i) => resources[i].length ? section(`OS resources of ${x.name}`, table(['Version', 'Latest', 'Imported by', 'Since'],
      resources[i].map((r) => [r.version, r.latest ? 'yes' : '', r.importedBy || 'automatic', when(r.createdAt)]), { caption: `OS resources of ${x.name}` })) : null));
}

function createForm(base, ctx) {
  const form = h('form', { id: 'profile-form', class: 'inline-form', novalidate: true }, formError(),
    field('Name', 'name', { required: true, maxlength: 200 }),
    field('Release profile', 'releaseProfile', { required: true, maxlength: 200 }),
    field('Version range', 'versionRange', { placeholder: '^1.2', maxlength: 200 }),
    field('Mode', 'mode', { options: [['AUTOMATIC', 'automatic'], ['MANUAL', 'manual']] }),
    field('Architecture', 'architecture', { maxlength: 50, placeholder: 'x86_64' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Create')));
  onSubmit(form, async (v) => {
    const created = await post(base, { name: v.name, releaseProfile: v.releaseProfile, versionRange: v.versionRange || null, mode: v.mode, architecture: v.architecture || null });
    toast(`Created ${created.name}`);
    ctx.navigate(location.pathname, true);
  });
  return h('details', { class: 'card register' }, h('summary', null, 'Create an OS profile'), form);
}
