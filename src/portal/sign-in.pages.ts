/** The two sign-in pages: the phone number, then the code. */
import { html } from '../platform/http/html.js';
import { t } from './i18n.js';
import type { PortalLanguage } from './i18n.js';
import { page } from './layout.js';
import type { PageOptions } from './layout.js';

/** The phone number form. */
export function phonePage(lang: PortalLanguage, clinicName: string, notice?: PageOptions['notice']): string {
  const w = t(lang);
  return page({
    lang,
    clinicName,
    title: w.signInTitle,
    notice,
    body: html`<section class="card">
      <h1>${w.signInTitle}</h1>
      <p>${w.signInIntro}</p>
      <form method="post" action="/portal/code">
        <input type="hidden" name="lang" value="${lang}" />
        <label for="phone">${w.phoneLabel}</label>
        <input
          id="phone"
          name="phone"
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          required
          aria-describedby="phone-hint"
        />
        <p id="phone-hint" class="muted">${w.phoneHint}</p>
        <button type="submit">${w.sendCode}</button>
      </form>
    </section>`,
  });
}

/** The code form; the number travels in a hidden field, never in a URL. */
export function codePage(
  lang: PortalLanguage,
  clinicName: string,
  phone: string,
  notice?: PageOptions['notice'],
): string {
  const w = t(lang);
  return page({
    lang,
    clinicName,
    title: w.codeTitle,
    notice,
    body: html`<section class="card">
        <h1>${w.codeTitle}</h1>
        <p>${w.codeIntro}</p>
        <form method="post" action="/portal/verify">
          <input type="hidden" name="lang" value="${lang}" />
          <input type="hidden" name="phone" value="${phone}" />
          <label for="code">${w.codeLabel}</label>
          <input
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxlength="6"
            required
          />
          <button type="submit">${w.verify}</button>
        </form>
      </section>
      <form method="post" action="/portal/code">
        <input type="hidden" name="lang" value="${lang}" />
        <input type="hidden" name="phone" value="${phone}" />
        <button type="submit" class="quiet">${w.newCode}</button>
      </form>
      <form method="post" action="/portal/code">
        <input type="hidden" name="lang" value="${lang}" />
        <input type="hidden" name="phone" value="${phone}" />
        <input type="hidden" name="channel" value="sms" />
        <button type="submit" class="quiet">${w.bySms}</button>
      </form>`,
  });
}
