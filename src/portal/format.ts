/** Dates and money as an Indian patient reads them, in the page's language (clinic time, IST). */
import type { PortalLanguage } from './i18n.js';

const locale = (lang: PortalLanguage) => (lang === 'hi' ? 'hi-IN' : 'en-IN');

/** "Mon, 7 Dec 2026, 3:30 pm" in India time. */
export function formatWhen(date: Date, lang: PortalLanguage): string {
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: 'Asia/Kolkata',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(date);
}

/** "7 Dec 2026" in India time. */
export function formatDay(date: Date | string, lang: PortalLanguage): string {
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: 'Asia/Kolkata',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(date));
}

/** "₹1,250.00" from paise. */
export function formatRupees(paise: number, lang: PortalLanguage): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'INR' }).format(paise / 100);
}
