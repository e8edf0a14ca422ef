/** Request shapes of the payment-link endpoints. */
import { z } from 'zod';

/** `:id` of an appointment or invoice. */
export const linkTargetParams = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character hex id') });

/** Body: whether to send the link to the patient on WhatsApp too (default yes). */
export const sendLinkBody = z.object({ send: z.boolean().default(true) }).strict();
