import { h, replace } from '../dom.js';
import { field, formError, onSubmit } from '../forms.js';
import * as session from '../session.js';

export function render(main, ctx) {
  const expired = ctx.query.get('expired');
  const form = h('form', { class: 'card login', id: 'login-form', novalidate: true },
    h('h1', null, 'Edge Orchestrator'),
    expired ? h('p', { class: 'muted' }, 'Your session has ended. Please log in again.') : null,
    formError(),
    field('User name', 'username', { autocomplete: 'username', required: true, maxlength: 200 }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true, maxlength: 1000 }),
    h('button', { type: 'submit', class: 'primary' }, 'Log in'));
  onSubmit(form, async (v) => {
    await session.login(v.username, v.password);
    const next = ctx.query.get('next');
    ctx.navigate(next && next.startsWith('/ui/') && !next.startsWith('/ui/login') ? next : '/ui/', true);
  });
  replace(main, h('div', { class: 'login-wrap' }, form));
  form.querySelector('input').focus();
}
