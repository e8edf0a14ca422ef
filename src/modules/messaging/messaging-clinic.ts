/**
 * Which clinic a WhatsApp business number belongs to. Today an installation has one number
 * (WHATSAPP_PHONE_NUMBER_ID) and it serves the default clinic; when clinics get numbers of their
 * own, this is the one place that maps a phone_number_id to its clinic.
 */
import type { Config } from '../../config.js';
import { ensureDefaultClinic } from '../clinics/clinic.service.js';

let defaultClinic: Promise<string> | undefined;

function defaultClinicId(): Promise<string> {
  // Cached: the webhook asks on every POST and the answer never changes while the process runs.
  defaultClinic ??= ensureDefaultClinic().then(
    (clinic) => clinic.id,
    (error: unknown) => {
      defaultClinic = undefined;
      throw error;
    },
  );
  return defaultClinic;
}

/** The clinic served by `phoneNumberId`, or null for a number that is not ours. */
export async function clinicForPhoneNumber(config: Config, phoneNumberId: string): Promise<string | null> {
  return phoneNumberId === config.whatsapp.phoneNumberId ? defaultClinicId() : null;
}

/** Every clinic with a WhatsApp number here (what the sweeper walks). */
export async function messagingClinicIds(): Promise<string[]> {
  return [await defaultClinicId()];
}
