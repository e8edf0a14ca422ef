/**
 * The portal's page shell: language, skip link, header with sign-out, the section menu, the
 * family switcher and a notice line. Notices come from a fixed list of word keys, so a query
 * string can choose one but never put its own words on the page. No script at all.
 */
import { html } from '../platform/http/html.js';
import type { SafeHtml } from '../platform/http/html.js';
import { t } from './i18n.js';
import type { PortalLanguage, Words } from './i18n.js';
import { PORTAL_CSS } from './styles.js';

/** Notices a redirect may ask a page to show (`?n=<key>`), with their tone. */
export const NOTICES = {
  signedOut: 'ok',
  sessionEnded: 'error',
  cancelled: 'ok',
  rescheduled: 'ok',
  saved: 'ok',
  withdrawn: 'ok',
  requestFiled: 'ok',
} as const satisfies Partial<Record<keyof Words | 'requestFiled', 'ok' | 'error'>>;

/** A notice key. */
export type NoticeKey = keyof typeof NOTICES;

/** The notice a query value names, if it is one of ours. */
export function noticeOf(value: unknown): NoticeKey | undefined {
  return typeof value === 'string' && Object.hasOwn(NOTICES, value) ? (value as NoticeKey) : undefined;
}

/** The menu sections, in order. */
export const SECTIONS = ['home', 'appointments', 'records', 'bills', 'profile', 'privacy'] as const;
/** One menu section. */
export type Section = (typeof SECTIONS)[number];

/** A signed-in page's context: who, which profile, the form token. */
export interface SignedInShell {
  section: Section;
  csrf: string;
  profiles: { id: string; name: string }[];
  patientId: string;
}

/** What a page passes to the shell. */
export interface PageOptions {
  lang: PortalLanguage;
  title: string;
  body: SafeHtml;
  clinicName: string;
  notice?: { tone: 'ok' | 'error'; text: string } | undefined;
  signedIn?: SignedInShell;
}

const PATHS: Record<Section, string> = {
  home: '/portal/home',
  appointments: '/portal/appointments',
  records: '/portal/records',
  bills: '/portal/bills',
  profile: '/portal/profile',
  privacy: '/portal/privacy',
};

function menu(words: Words, shell: SignedInShell): SafeHtml {
  return html`<nav aria-label="${words.portal}">
    <ul>
      ${SECTIONS.map(
        (section) =>
          html`<li>
            <a href="${PATHS[section]}" ${section === shell.section ? html`aria-current="page"` : ''}
              >${words[section]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

function switcher(words: Words, shell: SignedInShell): SafeHtml {
  if (shell.profiles.length < 2) return html``;
  return html`<form method="post" action="/portal/switch" class="card">
    <input type="hidden" name="_csrf" value="${shell.csrf}" />
    <label for="switch-profile">${words.switchProfile}</label>
    <select id="switch-profile" name="patientId">
      ${shell.profiles.map(
        (profile) =>
          html`<option value="${profile.id}" ${profile.id === shell.patientId ? html`selected` : ''}>
            ${profile.name}
          </option>`,
      )}
    </select>
    <button type="submit" class="quiet">${words.switchButton}</button>
  </form>`;
}

/** A hidden CSRF field for a signed-in form. */
export function csrfField(csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}" />`;
}

/** A whole page. */
export function page(options: PageOptions): string {
  const words = t(options.lang);
  const shell = options.signedIn;
  const other = options.lang === 'hi' ? 'en' : 'hi';
  return html`<!doctype html>
    <html lang="${options.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${options.title} · ${options.clinicName}</title>
        <style>
          ${PORTAL_CSS}
        </style>
      </head>
      <body>
        <a class="skip" href="#main">${options.lang === 'hi' ? 'मुख्य भाग पर जाएँ' : 'Skip to content'}</a>
        <header>
          <a class="brand" href="/portal">${options.clinicName} · ${words.portal}</a>
          ${
            shell
              ? html`<form method="post" action="/portal/language" class="inline">
                  ${csrfField(shell.csrf)}<input type="hidden" name="lang" value="${other}" />
                  <button type="submit" class="quiet" lang="${other}">${words.language}</button>
                </form>
                <form method="post" action="/portal/logout" class="inline">
                  ${csrfField(shell.csrf)}<button type="submit" class="quiet">${words.signOut}</button>
                </form>`
              : html`<a href="/portal?lang=${other}" lang="${other}">${words.language}</a>`
          }
        </header>
        ${shell ? menu(words, shell) : ''}
        <main id="main">
          ${
            options.notice
              ? html`<p class="notice ${options.notice.tone}" role="status">${options.notice.text}</p>`
              : ''
          }
          ${shell ? switcher(words, shell) : ''} ${options.body}
        </main>
      </body>
    </html>`.toString();
}
