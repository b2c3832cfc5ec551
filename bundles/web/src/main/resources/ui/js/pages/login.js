import { get } from '../api.js';
import { h, replace, toast } from '../dom.js';
import { field, formError, onSubmit } from '../forms.js';
import { start } from '../oidc.js';
import * as session from '../session.js';

export async function render(main, ctx) {
  const expired = ctx.query.get('expired');
  const asked = ctx.query.get('next');
  const next = asked && asked.startsWith('/ui/') && !asked.startsWith('/ui/login') ? asked : '/ui/';
  // With an OpenID Connect provider configured, its login comes first; the product's own accounts still work.
  const oidc = await get('/auth/oidc').catch(() => null);
  const provider = oidc && oidc.enabled ? h('div', { class: 'oidc' },
    h('button', { type: 'button', class: 'primary', id: 'oidc-login', onclick: async (ev) => {
      ev.target.disabled = true;
      try { await start(oidc, next); } catch (e) { ev.target.disabled = false; toast(e.message); }
    } }, `Log in with ${new URL(oidc.issuer).host}`),
    h('p', { class: 'muted or' }, 'or with an Edge Orchestrator account')) : null;
  const form = h('form', { class: 'card login', id: 'login-form', novalidate: true },
    h('h1', null, 'Edge Orchestrator'),
    expired ? h('p', { class: 'muted' }, 'Your session has ended. Please log in again.') : null,
    provider,
    formError(),
    field('User name', 'username', { autocomplete: 'username', required: true, maxlength: 200 }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true, maxlength: 1000 }),
    h('button', { type: 'submit', class: provider ? '' : 'primary' }, 'Log in'));
  onSubmit(form, async (v) => {
    await session.login(v.username, v.password);
    ctx.navigate(next, true);
  });
  replace(main, h('div', { class: 'login-wrap' }, form));
  (form.querySelector('#oidc-login') || form.querySelector('input')).focus();
}
