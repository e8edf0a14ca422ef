import { describe, expect, it } from '@jest/globals';
import { linkExpiry, MIN_LINK_LIFETIME_MS } from '../../src/modules/payments/payment-link.service.js';
import { factsOf, razorpayWebhookSchema } from '../../src/modules/payments/razorpay-event.schemas.js';
import { isValidRazorpaySignature, razorpaySignature } from '../../src/modules/payments/razorpay-webhook.service.js';

const CLINIC = '64b0000000000000000000a1';
const INVOICE = '64b0000000000000000000b2';

const linkPaid = {
  entity: 'event',
  account_id: 'acc_sandbox',
  event: 'payment_link.paid',
  contains: ['payment_link', 'order', 'payment'],
  payload: {
    payment_link: {
      entity: {
        id: 'plink_ABCDEFGHIJKLMN',
        status: 'paid',
        amount: 50_000,
        reference_id: INVOICE,
        notes: { clinicId: CLINIC, invoiceId: INVOICE },
      },
    },
    order: { entity: { id: 'order_ABCDEFGHIJKLMN' } },
    payment: {
      entity: {
        id: 'pay_ABCDEFGHIJKLMN',
        amount: 50_000,
        status: 'captured',
        method: 'upi',
        order_id: 'order_ABCDEFGHIJKLMN',
        notes: [],
        contact: '+919811100002',
        email: 'asha@example.com',
        vpa: 'asha@upi',
      },
    },
  },
  created_at: 1_764_000_000,
};

describe('Razorpay webhook bodies', () => {
  it('extracts ids and paise from a payment_link.paid event, and none of the payer details', () => {
    const facts = factsOf(razorpayWebhookSchema.parse(linkPaid));
    expect(facts).toEqual({
      paymentId: 'pay_ABCDEFGHIJKLMN',
      paymentStatus: 'captured',
      amountPaise: 50_000,
      method: 'upi',
      orderId: 'order_ABCDEFGHIJKLMN',
      paymentLinkId: 'plink_ABCDEFGHIJKLMN',
      paymentLinkStatus: 'paid',
      clinicId: CLINIC,
      invoiceId: INVOICE,
    });
    expect(JSON.stringify(facts)).not.toMatch(/9811100002|asha/);
  });

  it('reads our refund id from a refund event and ignores notes that are not ids', () => {
    const refundEvent = {
      entity: 'event',
      event: 'refund.processed',
      payload: {
        refund: {
          entity: {
            id: 'rfnd_ABCDEFGHIJKLMN',
            payment_id: 'pay_ABCDEFGHIJKLMN',
            amount: 1_000,
            status: 'processed',
            notes: { clinicId: CLINIC, refundId: 'not-an-id' },
          },
        },
      },
    };
    expect(factsOf(razorpayWebhookSchema.parse(refundEvent))).toEqual({
      paymentId: 'pay_ABCDEFGHIJKLMN',
      refundId: 'rfnd_ABCDEFGHIJKLMN',
      refundAmountPaise: 1_000,
      refundStatus: 'processed',
      clinicId: CLINIC,
    });
  });

  it('refuses bodies that are not events', () => {
    expect(razorpayWebhookSchema.safeParse({ event: 'payment.captured', payload: {} }).success).toBe(false);
    expect(
      razorpayWebhookSchema.safeParse({
        ...linkPaid,
        payload: { payment: { entity: { id: 'pay_1', amount: '500', status: 'captured' } } },
      }).success,
    ).toBe(false);
  });

  it('checks the signature over the exact bytes, in constant time', () => {
    const raw = Buffer.from(JSON.stringify(linkPaid));
    const signature = razorpaySignature(raw, 'secret');
    expect(isValidRazorpaySignature(raw, signature, 'secret')).toBe(true);
    expect(isValidRazorpaySignature(raw, signature.toUpperCase(), 'secret')).toBe(true);
    expect(isValidRazorpaySignature(raw, signature, 'other')).toBe(false);
    expect(isValidRazorpaySignature(Buffer.from(JSON.stringify(linkPaid, null, 1)), signature, 'secret')).toBe(false);
    expect(isValidRazorpaySignature(raw, undefined, 'secret')).toBe(false);
    expect(isValidRazorpaySignature(undefined, signature, 'secret')).toBe(false);
    expect(isValidRazorpaySignature(raw, 'short', 'secret')).toBe(false);
  });
});

describe('payment link expiry', () => {
  const now = new Date('2026-11-25T10:00:00.000Z');

  it('follows the hold, but never sooner than Razorpay allows', () => {
    expect(linkExpiry(now, new Date('2026-11-25T10:10:00.000Z')).getTime()).toBe(now.getTime() + MIN_LINK_LIFETIME_MS);
    expect(linkExpiry(now, new Date('2026-11-25T11:00:00.000Z')).toISOString()).toBe('2026-11-25T11:00:00.000Z');
  });

  it('gives a link without a hold a day, in whole seconds', () => {
    expect(linkExpiry(now).toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(linkExpiry(new Date('2026-11-25T10:00:00.400Z'), new Date('2026-11-25T11:00:00.250Z')).toISOString()).toBe(
      '2026-11-25T11:00:01.000Z',
    );
  });
});
