/**
 * @module
 * Sign-in with a read token: the token is checked against `GET /v1/whoami` before it is kept (sessionStorage,
 * or localStorage when "remember" is ticked).
 */
import type { WhoAmI } from '../../core/contract/index.js';
import { type ApiClient, ApiError } from '../api-client.js';
import { h } from '../dom.js';
import type { TokenStore } from '../token-store.js';

export function signInPage(o: {
  api: ApiClient;
  tokens: TokenStore;
  next: string | undefined;
  onSignedIn: (me: WhoAmI, next: string | undefined) => void;
}): HTMLElement {
  const input = h('input', {
    type: 'password',
    name: 'token',
    id: 'token',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'flt_…',
    required: true,
  });
  const remember = h('input', { type: 'checkbox', id: 'remember', name: 'remember' });
  const message = h('p', { class: 'sign-in-error', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'sign-in',
      onSubmit: async (e: Event) => {
        e.preventDefault();
        const token = input.value.trim();
        if (!token) return;
        button.disabled = true;
        message.textContent = '';
        o.tokens.set(token, remember.checked);
        try {
          const me = await o.api.whoami();
          o.onSignedIn(me, o.next);
        } catch (err) {
          o.tokens.clear();
          message.textContent =
            err instanceof ApiError && err.status === 401
              ? 'This token is unknown or revoked. Create one with `faultline token create --role read`.'
              : err instanceof Error
                ? err.message
                : String(err);
        } finally {
          button.disabled = false;
        }
      },
    },
    h('div', { class: 'brand big' }, h('span', { class: 'brand-mark' }), 'Faultline'),
    h('p', { class: 'muted' }, 'Sign in with a read token of your project.'),
    h('label', { for: 'token' }, 'Token'),
    input,
    h('label', { class: 'check', for: 'remember' }, remember, 'Remember on this device'),
    button,
    message,
  );
  return h('main', { class: 'sign-in-page' }, form);
}
