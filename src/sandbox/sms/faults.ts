/**
 * Failures the SMS stand-in simulates, chosen by the recipient's last four digits (like the
 * WhatsApp stand-in), plus the page's "gateway down" switch:
 *
 * | number ends in | the stand-in                                                  |
 * | -------------- | ------------------------------------------------------------- |
 * | `5500`         | HTTP 500 every time (a provider outage: retried, then escalated) |
 * | `5175`         | Gupshup error 175, invalid number (permanent: escalated at once) |
 */

/** A simulated failure. */
export type SmsFault = { kind: 'http'; status: number } | { kind: 'error'; code: string; details: string };

/** The magic suffixes and what each does. */
export const SMS_FAULTS: Record<string, SmsFault> = {
  '5500': { kind: 'http', status: 500 },
  '5175': { kind: 'error', code: '175', details: 'The specified mobile number is invalid' },
};

/** The fault for recipient `to`, if its last four digits are magic. */
export function smsFaultFor(to: string): SmsFault | undefined {
  return SMS_FAULTS[to.slice(-4)];
}
