/** The sign-in pages of the doctor view: password, the device-approval wait, and the authenticator code. */
import { csrfField, html } from './html.js';
import type { SafeHtml } from './html.js';
import { page } from './layout.js';

/** Why the sign-in form is shown again, keyed by `?state=`. */
const STATES: Record<string, { tone: string; text: string }> = {
  session_ended: { tone: 'warn', text: 'Your session has ended. Sign in again to continue.' },
  signed_out: { tone: 'ok', text: 'You have signed out.' },
  device_rejected: {
    tone: 'error',
    text: 'An admin rejected this device. Ask an admin to approve it before signing in here.',
  },
};

function hiddenNext(next: string): SafeHtml {
  return html`<input type="hidden" name="next" value="${next}" />`;
}

function problem(message: string | undefined): SafeHtml {
  return message ? html`<p class="notice error" role="alert">${message}</p>` : html``;
}

/** The email and password form. `error` is one of our own messages, never the request's text. */
export function loginPage(options: {
  next: string;
  state?: string | undefined;
  error?: string | undefined;
  email?: string | undefined;
}): string {
  const state = options.state ? STATES[options.state] : undefined;
  return page({
    title: 'Sign in',
    page: 'login',
    body: html`<section class="card narrow login">
      <h1>Sign in to your notes</h1>
      <p class="muted">For doctors of the clinic. Use the email and password your admin gave you.</p>
      ${state ? html`<p class="notice ${state.tone}" role="status">${state.text}</p>` : ''} ${problem(options.error)}
      <form method="post" action="/doctor/login" class="stack">
        ${csrfField()} ${hiddenNext(options.next)}
        <label
          >Email
          <input type="email" name="email" autocomplete="username" required value="${options.email ?? ''}" autofocus
        /></label>
        <label>Password <input type="password" name="password" autocomplete="current-password" required /></label>
        <button type="submit" class="btn primary wide">Sign in</button>
      </form>
    </section>`,
  });
}

/** The device waits for an admin: what to do, and a button to check again. */
export function devicePendingPage(options: { next: string; deviceLabel: string; name: string }): string {
  return page({
    title: 'Waiting for approval',
    page: 'login',
    body: html`<section class="card narrow login">
      <h1>This device needs an admin's approval</h1>
      <p>
        Your password was right, ${options.name}. Because this is a new device
        (<strong>${options.deviceLabel}</strong>), an admin must approve it before patient records open here.
      </p>
      <ol class="steps">
        <li>Ask a clinic admin to open <em>Devices</em> in the admin panel and approve this one.</li>
        <li>Then tap <em>Check again</em>.</li>
      </ol>
      <form method="get" action="/doctor/login/continue" class="stack">
        ${hiddenNext(options.next)}
        <button type="submit" class="btn primary wide">Check again</button>
      </form>
      <form method="post" action="/doctor/logout">
        ${csrfField()}<button type="submit" class="btn quiet wide">Sign out</button>
      </form>
    </section>`,
  });
}

/**
 * The authenticator code step. While `enrolling`, the first visit shows the QR code to scan
 * (`enrolment`); a retry after a wrong code does not, because a new QR would be a new secret.
 */
export function mfaPage(options: {
  next: string;
  error?: string | undefined;
  enrolling?: boolean;
  enrolment?: { qrCode: string; manualEntryKey: string } | undefined;
}): string {
  const enrol = options.enrolment;
  const intro = enrol
    ? html`<p>
          Your clinic requires a second step for doctors. Scan this code with an authenticator app (Google
          Authenticator, Microsoft Authenticator, 2FAS …), then type the 6-digit code it shows.
        </p>
        <img class="qr" src="${enrol.qrCode}" alt="QR code for your authenticator app" width="220" height="220" />
        <p class="muted">Cannot scan? Enter this key: <code class="key">${enrol.manualEntryKey}</code></p>`
    : options.enrolling
      ? html`<p>
          Type the 6-digit code your authenticator app shows for CINIC. Lost the code you scanned?
          <a href="/doctor/login/continue?next=${options.next}">Show a new QR code</a> and scan it again.
        </p>`
      : html`<p>Open your authenticator app and type the 6-digit code for CINIC.</p>`;
  return page({
    title: 'Authenticator code',
    page: 'login',
    body: html`<section class="card narrow login">
      <h1>${options.enrolling ? 'Set up your authenticator app' : 'Enter your authenticator code'}</h1>
      ${intro} ${problem(options.error)}
      <form method="post" action="${options.enrolling ? '/doctor/login/mfa/enrol' : '/doctor/login/mfa'}" class="stack">
        ${csrfField()} ${hiddenNext(options.next)}
        <label
          >6-digit code
          <input
            name="code"
            inputmode="numeric"
            pattern="[0-9]{6}"
            maxlength="6"
            autocomplete="one-time-code"
            required
            autofocus
        /></label>
        <button type="submit" class="btn primary wide">Continue</button>
      </form>
      <form method="post" action="/doctor/logout">
        ${csrfField()}<button type="submit" class="btn quiet wide">Sign out</button>
      </form>
    </section>`,
  });
}
