/**
 * Discounts on drafts, within limits. A discount is a percentage or an amount, on one line or the
 * whole bill, with a mandatory reason. The limit is checked on the bill's total discount after
 * this one (so ten 1 % discounts are still 10 %), through the one policy table: the clinic's
 * billing settings (over the policy defaults) are passed to `assertCan`, which answers 403 with
 * the roles that may approve when the actor's limit is exceeded. Every discount is audited.
 */
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import type { AppError } from '../../platform/errors.js';
import { notFound, unprocessable } from '../../platform/errors.js';
import { assertCan } from '../../platform/rbac/can.js';
import { getClinic } from '../clinics/clinic.service.js';
import { computeInvoice, discountPercentOf } from './invoice-compute.js';
import type { InvoiceDiscount } from './invoice.model.js';
import { loadDraft, saveDraft } from './invoice.service.js';
import { toInvoiceView } from './invoice.view.js';
import type { InvoiceView } from './invoice.view.js';
import { percentToBasisPoints } from './money.js';

/** A discount request: exactly one of `percent` and `amountPaise`; `lineId` limits it to one line. */
export interface DiscountRequest {
  percent?: number;
  amountPaise?: number;
  lineId?: string;
  reason: string;
}

/** Applies a discount to a draft; 403 with `approvers` above the actor's limit, 422 when it comes to nothing. */
export async function applyDiscount(actor: Actor, invoiceId: string, request: DiscountRequest): Promise<InvoiceView> {
  assertCan(actor, 'create', 'invoices', { clinicId: actor.clinicId });
  const doc = await loadDraft(actor, invoiceId);
  if (request.lineId && !doc.lines.some((line) => line.lineId === request.lineId)) throw notFound('Invoice line');
  const percentBp = request.percent === undefined ? undefined : (percentToBasisPoints(request.percent) ?? undefined);
  const discount: InvoiceDiscount = {
    discountId: `D${doc.discounts.length + 1}`,
    ...(request.lineId ? { lineId: request.lineId } : {}),
    ...(percentBp !== undefined ? { percentBp } : { amountPaise: request.amountPaise! }),
    appliedPaise: 0,
    reason: request.reason,
    by: { id: actor.id, type: actor.type, roles: [...actor.roles] },
    at: new Date(),
  };
  const discounts = [...doc.discounts, discount];
  const computed = computeInvoice(doc.lines, discounts, doc.supply);
  const appliedPaise = computed.appliedDiscounts.at(-1)!;
  if (appliedPaise === 0) throw unprocessable('Nothing is left to discount', { reason: 'nothing_to_discount' });

  const clinic = await getClinic(actor.clinicId);
  const billPercent = discountPercentOf(computed.totals);
  try {
    assertCan(actor, 'create', 'discounts', {
      clinicId: actor.clinicId,
      patientId: doc.patientId,
      discountPercent: billPercent,
      discountLimits: clinic.billing.discountLimitsPercent,
    });
  } catch (error) {
    // Refusals are kept too: who tried to give how much is part of the discount trail.
    await audit.record({
      actor,
      action: 'invoice.discount_refused',
      entity: { type: 'invoice', id: invoiceId },
      diff: [
        { field: 'billDiscountPercent', to: Math.round(billPercent * 100) / 100 },
        { field: 'approvers', to: (error as AppError).details?.approvers ?? [] },
      ],
    });
    throw error;
  }

  const updated = await saveDraft(doc, {
    lines: computed.lines,
    discounts: discounts.map((entry, index) => ({ ...entry, appliedPaise: computed.appliedDiscounts[index] })),
    totals: computed.totals,
    documentType: computed.documentType,
    amountInWords: computed.amountInWords,
  });
  await audit.record({
    actor,
    action: 'invoice.discount_applied',
    entity: { type: 'invoice', id: invoiceId },
    diff: [
      { field: 'discountId', to: discount.discountId },
      { field: 'scope', to: request.lineId ?? 'bill' },
      ...(percentBp !== undefined
        ? [{ field: 'percentBp', to: percentBp }]
        : [{ field: 'amountPaise', to: request.amountPaise }]),
      { field: 'appliedPaise', to: appliedPaise },
      { field: 'billDiscountPaise', from: doc.totals.discountPaise, to: computed.totals.discountPaise },
      { field: 'billDiscountPercent', to: Math.round(billPercent * 100) / 100 },
      { field: 'reason', to: request.reason },
    ],
  });
  return toInvoiceView(updated);
}
