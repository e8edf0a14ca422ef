/**
 * The page shell of the doctor view: head with the stylesheet and the one script (the CSP allows
 * no inline script), a top bar with the queue link, the live abnormal-results badge and sign-out,
 * and a notice line. Notices come from a fixed list keyed by code, so a query string can pick
 * one but never put its own words on the page.
 */
import { csrfField, html } from './html.js';
import type { SafeHtml } from './html.js';

/** Where the view's assets are served. */
export const ASSETS = '/doctor/assets';

/** Messages a redirect can ask a page to show (`?notice=<code>`). */
export const NOTICES = {
  note_not_signed: {
    tone: 'error',
    text: 'Sign the visit note before completing the consultation. Anything learnt later goes into an addendum.',
  },
  not_in_consult: { tone: 'error', text: 'This consultation is not in progress, so it cannot be completed from here.' },
  not_checked_in: {
    tone: 'error',
    text: 'The patient is not checked in (or someone else already started this consultation).',
  },
  completed: { tone: 'ok', text: 'Consultation completed. The patient has left your queue.' },
  checked_in: { tone: 'ok', text: 'Checked in. The patient is now waiting in your queue, with a token.' },
  check_in_refused: {
    tone: 'error',
    text: 'This booking is no longer waiting for check-in: the patient was already checked in, or the booking was cancelled or moved.',
  },
  check_in_unpaid: {
    tone: 'error',
    text: 'This booking is still awaiting its prepayment, so the patient cannot be checked in yet.',
  },
  check_in_wrong_day: { tone: 'error', text: 'Patients can be checked in only on the day of their appointment.' },
  break_glass: {
    tone: 'warn',
    text: 'Emergency access granted for 60 minutes. Every read is recorded with your reason.',
  },
  signed_out: { tone: 'ok', text: 'You have signed out.' },
  session_ended: { tone: 'warn', text: 'Your session has ended. Sign in again to continue.' },
} as const;

/** A notice code. */
export type NoticeCode = keyof typeof NOTICES;

/** The notice named by a query value, if it is one of ours. */
export function noticeOf(code: unknown): NoticeCode | undefined {
  return typeof code === 'string' && Object.hasOwn(NOTICES, code) ? (code as NoticeCode) : undefined;
}

/** What every page passes to the shell. */
export interface PageOptions {
  title: string;
  /** Tells the script which behaviours to switch on (`queue`, `visit`, …). */
  page: string;
  body: SafeHtml;
  /** The signed-in doctor; absent on the sign-in pages. */
  doctorName?: string;
  clinicName?: string;
  notice?: NoticeCode | undefined;
}

function topBar(options: PageOptions): SafeHtml {
  if (!options.doctorName)
    return html`<header class="bar">
      <span class="brand">CINIC</span><span class="bar-title">Doctor's notes</span>
    </header>`;
  return html`<header class="bar">
    <a class="brand" href="/doctor">CINIC</a>
    <nav class="bar-nav" aria-label="Main">
      <a href="/doctor" class="nav-link">Today's queue</a>
      <a href="/doctor#alerts" class="nav-link alerts-link" id="alert-badge" hidden
        >Abnormal results <span class="count" id="alert-count"></span
      ></a>
    </nav>
    <span class="bar-who"
      >${options.doctorName}${options.clinicName ? html`<small>${options.clinicName}</small>` : ''}</span
    >
    <form method="post" action="/doctor/logout" class="bar-out">
      ${csrfField()}
      <button type="submit" class="btn quiet">Sign out</button>
    </form>
  </header>`;
}

/** A whole page. */
export function page(options: PageOptions): string {
  const notice = options.notice ? NOTICES[options.notice] : undefined;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${options.title} · CINIC</title>
        <link rel="stylesheet" href="${ASSETS}/doctor.css" />
        <script type="module" src="${ASSETS}/doctor.js"></script>
      </head>
      <body data-page="${options.page}">
        ${topBar(options)}
        <main class="main">
          ${notice ? html`<p class="notice ${notice.tone}" role="status">${notice.text}</p>` : ''} ${options.body}
        </main>
      </body>
    </html>`.toString();
}

/** A plain error page (403, 404, 409 …) with a way back to the queue (unless `back: false`). */
export function errorPage(options: {
  status: number;
  title: string;
  message: string;
  doctorName?: string;
  extra?: SafeHtml;
  back?: boolean;
}): string {
  return page({
    title: options.title,
    page: 'error',
    ...(options.doctorName ? { doctorName: options.doctorName } : {}),
    body: html`<section class="card narrow problem" data-status="${options.status}">
      <h1>${options.title}</h1>
      <p>${options.message}</p>
      ${options.extra}
      ${
        options.back === false
          ? ''
          : html`<p class="actions"><a class="btn" href="/doctor">Back to today's queue</a></p>`
      }
    </section>`,
  });
}
