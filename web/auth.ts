/** Sign-in: a token pasted once and kept in this browser, or in the demo a one-click duty officer. */
import { query, Unauthenticated } from './api.js';

const KEY = 'envhub.duty.token';

export function storedToken(): string | null {
  return localStorage.getItem(KEY);
}

export function forgetToken(): void {
  localStorage.removeItem(KEY);
}

/** Whether the hub accepts the token for the duty screen. */
async function accepted(token: string): Promise<boolean> {
  try {
    await query(token, '{ dutySummary { generatedAt } }');
    return true;
  } catch (error) {
    if (error instanceof Unauthenticated) return false;
    throw error;
  }
}

/** Resolves with a token the hub accepts, asking for one when none is kept. */
export async function signIn(): Promise<string> {
  const kept = storedToken();
  if (kept && (await accepted(kept).catch(() => false))) return kept;
  forgetToken();
  const overlay = document.getElementById('sign-in') as HTMLElement;
  const form = overlay.querySelector('form') as HTMLFormElement;
  const problem = overlay.querySelector('.error') as HTMLElement;
  const demoButton = document.getElementById('demo-sign-in') as HTMLButtonElement;
  const config = (await (await fetch('/web/config.json')).json()) as { demo: boolean };
  demoButton.hidden = !config.demo;
  overlay.hidden = false;
  return new Promise((resolve) => {
    const use = async (token: string): Promise<void> => {
      problem.hidden = true;
      if (await accepted(token).catch(() => false)) {
        localStorage.setItem(KEY, token);
        overlay.hidden = true;
        resolve(token);
      } else {
        problem.textContent = '令牌无效、已过期，或该账号无权查看值班大屏。';
        problem.hidden = false;
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void use(String(new FormData(form).get('token') ?? '').trim());
    });
    demoButton.addEventListener('click', () => {
      void fetch('/web/demo-token', { method: 'POST' })
        .then((response) => response.json() as Promise<{ token: string }>)
        .then((body) => use(body.token));
    });
  });
}
