/**
 * The consents part of /portal/privacy: every consent of the chosen profile with its purpose,
 * notice version, channel and dates; one tap withdraws a granted one (through the patients
 * service: audited, and `consent.changed` tells every sender at once). A consent given under an
 * older notice asks to be given again under the current one.
 */
import type { ConsentView } from '../modules/patients/index.js';
import { html } from '../platform/http/html.js';
import type { PortalContext } from './context.js';
import { formatDay } from './format.js';
import { fill } from './i18n.js';
import { csrfField } from './layout.js';

const PURPOSE_WORDS: Record<string, { en: string; hi: string }> = {
  care: { en: 'Treatment and health records', hi: 'इलाज और स्वास्थ्य रिकॉर्ड' },
  whatsapp_messaging: { en: 'Messages on WhatsApp', hi: 'WhatsApp पर संदेश' },
  reminders: { en: 'Appointment reminders', hi: 'अपॉइंटमेंट रिमाइंडर' },
  payments: { en: 'Payment links and receipts', hi: 'भुगतान लिंक और रसीदें' },
  marketing: { en: 'Health camps and offers', hi: 'हेल्थ कैंप और ऑफ़र' },
};

const RENEW_WORDS = {
  en: { title: 'Our privacy notice has changed', renew: 'Agree to the new notice' },
  hi: { title: 'हमारी निजता सूचना बदल गई है', renew: 'नई सूचना से सहमत हों' },
};

/** The consents list with withdraw and renew buttons. */
export function consentsSection(ctx: PortalContext, consents: ConsentView[], currentNotice: string) {
  const w = ctx.words;
  const granted = consents.filter((consent) => consent.status === 'granted');
  const stale = granted.filter((consent) => consent.noticeVersion !== currentNotice);
  const history = consents.filter((consent) => consent.status !== 'granted');
  const purpose = (consent: ConsentView) => PURPOSE_WORDS[consent.purpose]?.[ctx.lang] ?? consent.purpose;
  return html`<h2>${w.consents}</h2>
    ${
      stale.length > 0
        ? html`<section class="card" aria-labelledby="renew-title">
          <h3 id="renew-title">${RENEW_WORDS[ctx.lang].title}</h3>
          <form method="post" action="/portal/consents/renew">
            ${csrfField(ctx.csrf)}
            <ul>
              ${stale.map((consent) => html`<li>${purpose(consent)}</li>`)}
            </ul>
            <button type="submit">${RENEW_WORDS[ctx.lang].renew}</button>
          </form>
        </section>`
        : ''
    }
    ${granted.length === 0 ? html`<p class="muted">${w.none}</p>` : ''}
    <ul class="plain">
      ${granted.map(
        (consent) =>
          html`<li class="card" data-purpose="${consent.purpose}">
            <strong>${purpose(consent)}</strong>
            <p class="muted">
              ${fill(w.given, {
                date: formatDay(consent.grantedAt, ctx.lang),
                channel: consent.channel,
                version: consent.noticeVersion,
              })}
            </p>
            <form method="post" action="/portal/consents/${consent.id}/withdraw">
              ${csrfField(ctx.csrf)}
              <button type="submit" class="danger" aria-label="${w.withdraw}: ${purpose(consent)}">
                ${w.withdraw}
              </button>
            </form>
          </li>`,
      )}
    </ul>
    ${
      history.length > 0
        ? html`<details>
          <summary>${w.status}</summary>
          <ul>
            ${history.map(
              (consent) =>
                html`<li>
                  ${purpose(consent)} — ${consent.status}
                  ${consent.withdrawnAt ? fill(w.withdrawnOn, { date: formatDay(consent.withdrawnAt, ctx.lang) }) : ''}
                </li>`,
            )}
          </ul>
        </details>`
        : ''
    }`;
}
