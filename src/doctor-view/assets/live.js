/**
 * Keeps the doctor's screen current: polls GET /doctor/queue/state (a fingerprint of the queue and
 * of open abnormal results), updates the abnormal-results badge on every page, and on the queue
 * page swaps in the fresh queue when the fingerprint changes. Polling stops after a while with
 * no touch or key, so an unattended tablet does not keep its session alive forever (the
 * server's idle timeout then signs it out); any interaction resumes it.
 */
const POLL_MS = 10_000;
const IDLE_AFTER_MS = 10 * 60_000;

function clock() {
  return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}

function signIn() {
  location.assign(`/doctor/login?state=session_ended&next=${encodeURIComponent(location.pathname)}`);
}

/** Starts polling; `queue` is the live queue container on the queue page (else null). */
export function startLive(queue) {
  const badge = document.getElementById('alert-badge');
  const count = document.getElementById('alert-count');
  const updated = document.getElementById('queue-updated');
  let lastInput = Date.now();
  let timer;
  let paused = false;

  async function refreshQueue() {
    const response = await fetch('/doctor/queue/live', {
      credentials: 'same-origin',
      headers: { accept: 'text/html' },
    });
    if (response.redirected || response.status === 401) return signIn();
    if (!response.ok) return;
    queue.innerHTML = await response.text();
    queue.dataset.fingerprint = response.headers.get('x-queue-fingerprint') ?? '';
  }

  async function poll() {
    clearTimeout(timer);
    if (Date.now() - lastInput > IDLE_AFTER_MS) {
      paused = true;
      if (updated) updated.textContent = 'Paused while idle — tap anywhere to refresh';
      return;
    }
    try {
      const response = await fetch('/doctor/queue/state', {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      if (response.status === 401) return signIn();
      if (response.ok) {
        const state = await response.json();
        if (badge) {
          badge.hidden = state.alerts === 0;
          count.textContent = String(state.alerts);
        }
        if (queue && state.fingerprint !== queue.dataset.fingerprint) await refreshQueue();
        if (updated) updated.textContent = `Updated ${clock()}`;
      }
    } catch {
      if (updated) updated.textContent = 'Offline — retrying';
    }
    timer = setTimeout(poll, POLL_MS);
  }

  const woke = () => {
    lastInput = Date.now();
    if (paused) {
      paused = false;
      void poll();
    }
  };
  for (const type of ['pointerdown', 'keydown', 'scroll']) window.addEventListener(type, woke, { passive: true });
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && woke());
  void poll();
}
