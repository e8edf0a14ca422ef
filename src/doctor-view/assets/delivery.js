/**
 * Follows a just-issued prescription or diet plan out on WhatsApp: a badge still "Sending on
 * WhatsApp…" carries its version's API URL (`data-poll`), read here with a growing pause until
 * the message leaves `queued`; the badge then says sent (or failed) in place, so a form the doctor
 * is filling meanwhile is never reloaded away. Each read is an audited record read, hence the
 * short, bounded schedule (about a minute, nine reads at most).
 */
import { send } from './api.js';

const PAUSES_MS = [1_000, 1_500, 2_000, 3_000, 4_000, 6_000, 8_000, 12_000, 20_000];

/** The words of prescription.section.ts's DELIVERY_WORDS, for the states after `queued`. */
const WORDS = {
  sent: { tone: 'ok', text: 'Sent on WhatsApp' },
  delivered: { tone: 'ok', text: 'Delivered on WhatsApp' },
  read: { tone: 'ok', text: 'Read on WhatsApp' },
  failed: { tone: 'danger', text: 'WhatsApp sending failed: give the printout' },
};

function show(badge, delivery) {
  const words = WORDS[delivery.status] ?? { tone: 'warn', text: `WhatsApp: ${delivery.status}` };
  const time =
    delivery.sentAt && words.tone === 'ok'
      ? ` ${new Intl.DateTimeFormat('en-IN', { timeZone: badge.dataset.zone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(delivery.sentAt))}`
      : '';
  badge.className = `badge wa-state ${words.tone}`;
  badge.textContent = `${words.text}${time}`;
  delete badge.dataset.poll;
}

async function follow(badge) {
  for (const pause of PAUSES_MS) {
    await new Promise((resolve) => setTimeout(resolve, pause));
    if (!badge.isConnected) return;
    let result;
    try {
      result = await send('GET', badge.dataset.poll);
    } catch {
      continue; // offline for a moment: try at the next pause
    }
    if (!result.ok) return;
    const delivery = result.data?.whatsapp;
    if (delivery && delivery.status !== 'queued') return show(badge, delivery);
  }
}

/** Follows every badge on the page that is still sending. */
export function followDeliveries() {
  for (const badge of document.querySelectorAll('.wa-state[data-poll]')) void follow(badge);
}
