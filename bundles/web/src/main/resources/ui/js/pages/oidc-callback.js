// Where the identity provider sends the browser back: the code is exchanged, the orchestrator is asked who the
// token's user is, and the page asked for before the login opens. Any refusal is said here, with a way back.
import { ApiError } from '../api.js';
import { h, link, replace } from '../dom.js';
import { finish } from '../oidc.js';
import * as session from '../session.js';

export async function render(main, ctx) {
  try {
    const { token, next } = await finish(ctx.query);
    await session.useToken(token);
    ctx.navigate(next && next.startsWith('/ui/') && !next.startsWith('/ui/login') ? next : '/ui/', true);
  } catch (e) {
    session.logout();
    const why = e instanceof ApiError ? `The orchestrator refused the identity provider's token: ${e.message}` : e.message;
    replace(main, h('div', { class: 'login-wrap' }, h('div', { class: 'card login', id: 'oidc-error', role: 'alert' },
      h('h1', null, 'Not logged in'), h('p', null, why), h('p', null, link('/ui/login', 'Back to the login page')))));
  }
}
