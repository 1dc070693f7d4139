/**
 * @module
 * Where the read token lives: sessionStorage by default (gone when the tab closes), localStorage when the
 * person ticks "remember". The token is only ever sent as `Authorization: Bearer` to the same origin.
 */

const KEY = 'faultline.token';

export interface TokenStore {
  get(): string | null;
  set(token: string, remember: boolean): void;
  clear(): void;
}

function storage(kind: 'session' | 'local'): Storage | null {
  try {
    return kind === 'session' ? window.sessionStorage : window.localStorage;
  } catch {
    // Storage can be disabled (privacy settings); the token then lives for this page only.
    return null;
  }
}

export function browserTokenStore(): TokenStore {
  let memory: string | null = null;
  return {
    get: () => storage('session')?.getItem(KEY) ?? storage('local')?.getItem(KEY) ?? memory,
    set: (token, remember) => {
      memory = token;
      storage(remember ? 'session' : 'local')?.removeItem(KEY);
      storage(remember ? 'local' : 'session')?.setItem(KEY, token);
    },
    clear: () => {
      memory = null;
      storage('session')?.removeItem(KEY);
      storage('local')?.removeItem(KEY);
    },
  };
}
