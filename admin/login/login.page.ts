/**
 * The staff panel's sign-in pages: password, the device-approval wait and the authenticator code.
 * Plain HTML forms (no AdminJS bundle needed before sign-in), branded with the clinic's name.
 */
import { esc } from '../html.js';

/** Why the form is shown again, by `?state=`. */
const STATES: Record<string, string> = {
  session_ended: 'Your session has ended. Sign in again to continue.',
  signed_out: 'You have signed out.',
  device_rejected: 'An admin rejected this device. Ask an admin to approve it before signing in here.',
};

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1f2933;margin:0}
main{max-width:26rem;margin:8vh auto;background:#fff;border-radius:10px;padding:2rem;box-shadow:0 2px 12px #0001}
h1{font-size:1.35rem;margin:.2rem 0 1rem}.brand{color:#0b7a75;font-weight:700;letter-spacing:.02em}
label{display:block;margin:.8rem 0;font-weight:600}input{display:block;width:100%;box-sizing:border-box;margin-top:.3rem;padding:.6rem;font-size:1rem;border:1px solid #cbd2d9;border-radius:6px}
button{width:100%;padding:.7rem;font-size:1rem;border:0;border-radius:6px;background:#0b7a75;color:#fff;font-weight:600;cursor:pointer;margin-top:.6rem}
button.quiet{background:#e4e7eb;color:#1f2933}.notice{padding:.6rem .8rem;border-radius:6px;background:#e6f6f5}.error{background:#fde8e8;color:#8a1c1c}
img{display:block;margin:1rem auto}code{word-break:break-all}`;

function shell(clinicName: string, title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(clinicName)}</title><style>${STYLE}</style></head><body><main>
<div class="brand">${esc(clinicName)} · Staff panel</div>${body}</main></body></html>`;
}

const hiddenNext = (next: string) => `<input type="hidden" name="next" value="${esc(next)}">`;
const problem = (message?: string) => (message ? `<p class="notice error" role="alert">${esc(message)}</p>` : '');

/** The email and password form; `error` is one of our own messages, never the request's text. */
export function loginPage(o: {
  clinicName: string;
  next: string;
  state?: string;
  error?: string;
  email?: string;
}): string {
  const state = o.state ? STATES[o.state] : undefined;
  return shell(
    o.clinicName,
    'Sign in',
    `<h1>Sign in</h1>${state ? `<p class="notice" role="status">${esc(state)}</p>` : ''}${problem(o.error)}
<form method="post" action="/admin/login">${hiddenNext(o.next)}
<label>Email <input type="email" name="email" autocomplete="username" required autofocus value="${esc(o.email ?? '')}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`,
  );
}

/** The device waits for an admin's approval. */
export function devicePendingPage(o: { clinicName: string; next: string; deviceLabel: string; name: string }): string {
  return shell(
    o.clinicName,
    'Waiting for approval',
    `<h1>This device needs an admin's approval</h1>
<p>Your password was right, ${esc(o.name)}. This is a new device (<strong>${esc(o.deviceLabel)}</strong>), so a clinic admin
must approve it under <em>Devices</em> in this panel before patient records open here.</p>
<form method="get" action="/admin/login/continue">${hiddenNext(o.next)}<button type="submit">Check again</button></form>
<form method="post" action="/admin/logout"><button type="submit" class="quiet">Sign out</button></form>`,
  );
}

/** The authenticator code (with the QR code on the first enrolment visit). */
export function mfaPage(o: {
  clinicName: string;
  next: string;
  error?: string;
  enrolling?: boolean;
  enrolment?: { qrCode: string; manualEntryKey: string };
}): string {
  const setup = o.enrolment
    ? `<p>Your clinic asks for an authenticator app. Scan this code with it, then type the 6-digit code it shows.</p>
<img alt="Authenticator QR code" width="200" height="200" src="${esc(o.enrolment.qrCode)}"><p>Or type this key: <code>${esc(o.enrolment.manualEntryKey)}</code></p>`
    : '<p>Type the 6-digit code from your authenticator app.</p>';
  return shell(
    o.clinicName,
    'Authenticator code',
    `<h1>Authenticator code</h1>${problem(o.error)}${setup}
<form method="post" action="/admin/login/mfa${o.enrolling ? '/enrol' : ''}">${hiddenNext(o.next)}
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus></label>
<button type="submit">Continue</button></form>
<form method="post" action="/admin/logout"><button type="submit" class="quiet">Sign out</button></form>`,
  );
}
