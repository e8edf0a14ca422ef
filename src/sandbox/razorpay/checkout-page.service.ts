/**
 * What the checkout page and the sandbox index show: a link with its status now and the name of
 * the clinic it collects for (from `notes.clinicId`, as the app sets it), and the newest links.
 */
import { getClinic } from '../../modules/clinics/clinic.service.js';
import type { Runtime } from '../../platform/runtime.js';
import { linkStatusNow } from './entities.js';
import { findLink } from './link.service.js';
import { sandboxLinks } from './sandbox-link.model.js';
import type { LinkStatus, SandboxLinkRecord } from './sandbox-link.model.js';

/** The name shown when a link names no clinic this app knows. */
export const FALLBACK_MERCHANT = 'CINIC sandbox';

/** One link as the pages show it. */
export interface CheckoutPageModel {
  linkId: string;
  merchant: string;
  description: string;
  amount: number;
  currency: string;
  status: LinkStatus;
  /** Unix seconds, or null when the link never expires. */
  expireBy: number | null;
  referenceId: string | null;
  /** The captured payment of a paid link. */
  paymentId: string | null;
  createdAt: number;
}

async function merchantName(notes: SandboxLinkRecord['notes']): Promise<string> {
  const clinicId = notes?.clinicId;
  if (typeof clinicId !== 'string' || clinicId === '') return FALLBACK_MERCHANT;
  // Links from other installations or tests may name clinics this database does not hold.
  return getClinic(clinicId).then(
    (clinic) => clinic.name,
    () => FALLBACK_MERCHANT,
  );
}

async function modelOf(link: SandboxLinkRecord, merchant?: string): Promise<CheckoutPageModel> {
  return {
    linkId: link.linkId,
    merchant: merchant ?? (await merchantName(link.notes)),
    description: link.description,
    amount: link.amount,
    currency: link.currency,
    status: linkStatusNow(link),
    expireBy: link.expireBy,
    referenceId: link.referenceId,
    paymentId: link.payments.find((payment) => payment.status === 'captured')?.paymentId ?? null,
    createdAt: link.createdAt,
  };
}

/** The checkout page of `linkId`, or undefined when there is no such link. */
export async function checkoutPageModel(runtime: Runtime, linkId: string): Promise<CheckoutPageModel | undefined> {
  const link = await findLink(runtime, linkId);
  return link ? modelOf(link) : undefined;
}

/** The newest links of this account, for the sandbox index page. */
export async function recentLinks(runtime: Runtime, limit = 50): Promise<CheckoutPageModel[]> {
  const links = await sandboxLinks()
    .find({ keyId: runtime.config.razorpay.keyId })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .lean<SandboxLinkRecord[]>();
  const names = new Map<string, Promise<string>>();
  return Promise.all(
    links.map((link) => {
      const key = String(link.notes?.clinicId ?? '');
      if (!names.has(key)) names.set(key, merchantName(link.notes));
      return names.get(key)!.then((merchant) => modelOf(link, merchant));
    }),
  );
}
