/**
 * The Razorpay stand-in, driven by the real `razorpay` SDK as the app drives it: payment links
 * (create, fetch, cancel, Razorpay's validation and errors), paying and failing on the checkout
 * side, signed webhooks (stored, delivered, retried, resent in any order), idempotent refunds and
 * the simulated faults. Deliveries go to a capture server (PUBLIC_URL points at it), so what the
 * stand-in sends is checked byte for byte without depending on the app's webhook handler.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Razorpay from 'razorpay';
import { ensureDefaultClinic } from '../../src/modules/clinics/clinic.service.js';
import { signRazorpayWebhook } from '../../src/sandbox/razorpay/index.js';
import {
  checkout,
  expireLink,
  expiresIn,
  razorpayClient,
  resendEvent,
  sdkError,
  startWebhookCapture,
  storedEvents,
} from '../helpers/razorpay.js';
import type { AxiosLike, RazorpaySdk, WebhookCapture } from '../helpers/razorpay.js';
import { startListeningApp, waitFor } from '../helpers/whatsapp.js';
import type { ListeningApp } from '../helpers/whatsapp.js';

type Entity = Record<string, unknown>;

describe('the Razorpay sandbox stand-in (sandbox mode)', () => {
  let t: ListeningApp;
  let capture: WebhookCapture;
  let sdk: RazorpaySdk;
  let rq: AxiosLike;
  let secret: string;
  let serial = 0;

  beforeAll(async () => {
    capture = await startWebhookCapture();
    t = await startListeningApp('rzp-sandbox', { env: { PUBLIC_URL: capture.url } });
    ({ sdk, rq } = razorpayClient(t.runtime.config, t.baseUrl));
    secret = t.runtime.config.razorpay.webhookSecret;
  });
  afterAll(async () => {
    await t?.close();
    await capture?.close();
  });
  beforeEach(() => {
    capture.status = 200;
  });

  /** Creates a link through the SDK (amount in paise). */
  function createLink(amount = 50_000, extra: Entity = {}): Promise<Entity> {
    serial += 1;
    const body = {
      amount,
      currency: 'INR',
      description: `Consultation ${serial}`,
      reference_id: `inv-${Date.now()}-${serial}`,
      expire_by: expiresIn(30),
      notes: { invoiceId: `inv${serial}` },
      ...extra,
    };
    return sdk.paymentLink.create(body as never) as unknown as Promise<Entity>;
  }

  /** A paid link and its payment id. */
  async function paidLink(amount = 50_000, extra: Entity = {}): Promise<{ link: Entity; paymentId: string }> {
    const link = await createLink(amount, extra);
    const paid = await checkout(t.baseUrl, link.id as string, 'pay');
    expect(paid.status).toBe(200);
    return { link, paymentId: paid.body.paymentId };
  }

  const refund = (paymentId: string, body: Entity, key?: string, timeout?: number) =>
    rq.post<Entity>(`/v1/payments/${paymentId}/refund`, body, {
      ...(key ? { headers: { 'X-Refund-Idempotency': key } } : {}),
      ...(timeout ? { timeout } : {}),
    });

  describe('payment links through the SDK', () => {
    it('creates a link with the Razorpay entity shape, fetches it and cancels it once', async () => {
      const link = await createLink(50_000, {
        customer: { name: 'Asha Verma', contact: '+919800000001' },
        notes: { clinicId: 'x', invoiceId: 'inv1' },
      });
      expect(link).toMatchObject({
        id: expect.stringMatching(/^plink_[A-Za-z0-9]{14}$/),
        status: 'created',
        amount: 50_000,
        amount_paid: 0,
        currency: 'INR',
        accept_partial: false,
        upi_link: false,
        user_id: '',
        payments: null,
        cancelled_at: 0,
        expired_at: 0,
        reminder_enable: false,
        notes: { clinicId: 'x', invoiceId: 'inv1' },
        customer: { name: 'Asha Verma', contact: '+919800000001' },
        created_at: expect.any(Number),
        updated_at: expect.any(Number),
      });
      expect(link.short_url).toBe(`${capture.url}/sandbox/razorpay/l/${link.id}`);
      expect(link.expire_by).toBeGreaterThan(Date.now() / 1000 + 25 * 60);

      expect(await sdk.paymentLink.fetch(link.id as string)).toEqual(link);
      const cancelled = (await sdk.paymentLink.cancel(link.id as string)) as unknown as Entity;
      expect(cancelled).toMatchObject({ id: link.id, status: 'cancelled', cancelled_at: expect.any(Number) });
      expect(cancelled.cancelled_at).toBeGreaterThan(0);

      const again = await sdkError(sdk.paymentLink.cancel(link.id as string));
      expect(again).toMatchObject({
        statusCode: 400,
        error: { code: 'BAD_REQUEST_ERROR', description: expect.stringMatching(/already been cancelled/) },
      });
      const unknown = await sdkError(sdk.paymentLink.fetch('plink_AAAAAAAAAAAAAA'));
      expect(unknown).toMatchObject({
        statusCode: 400,
        error: { code: 'BAD_REQUEST_ERROR', description: 'The id provided does not exist' },
      });
    });

    it('refuses what Razorpay refuses, with its error body', async () => {
      const cases: [Entity, RegExp, string?][] = [
        [{ expire_by: expiresIn(10) }, /at ?least 15 minutes in future/, 'expire_by'],
        [{ amount: 99 }, /atleast INR 1\.00/, 'amount'],
        [{ amount: 100.5 }, /must be an integer/, 'amount'],
        [{ currency: 'USD' }, /currency is invalid/, 'currency'],
        [{ reference_id: 'r'.repeat(41) }, /reference id may not be greater than 40/, 'reference_id'],
        [
          { notes: Object.fromEntries(Array.from({ length: 16 }, (_, index) => [`k${index}`, 'v'])) },
          /less than or equal to 15/,
          'notes',
        ],
        [{ colour: 'blue' }, /colour is\/are not required and should not be sent/],
      ];
      for (const [extra, description, field] of cases) {
        const error = await sdkError(createLink(50_000, extra));
        expect(error.statusCode).toBe(400);
        expect(error.error).toMatchObject({
          code: 'BAD_REQUEST_ERROR',
          description: expect.stringMatching(description),
        });
        if (field) expect(error.error).toMatchObject({ field, source: 'business', reason: 'input_validation_failed' });
      }

      const first = await createLink(50_000, { reference_id: 'inv-duplicate-1' });
      const duplicate = await sdkError(createLink(50_000, { reference_id: 'inv-duplicate-1' }));
      expect(duplicate).toMatchObject({
        statusCode: 400,
        error: { code: 'BAD_REQUEST_ERROR', description: 'reference_id already exists', field: 'reference_id' },
      });
      const found = (await rq.get<{ payment_links: Entity[] }>('/v1/payment_links?reference_id=inv-duplicate-1')).data;
      expect(found.payment_links.map((link) => link.id)).toEqual([first.id]);
    });

    it('answers 401 in Razorpay format to a wrong secret, an unknown key or no credentials', async () => {
      const config = t.runtime.config;
      const wrongSecret = razorpayClient(config, t.baseUrl, { key_id: config.razorpay.keyId, key_secret: 'nope' }).sdk;
      expect(await sdkError(wrongSecret.paymentLink.fetch('plink_AAAAAAAAAAAAAA'))).toMatchObject({
        statusCode: 401,
        error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed' },
      });
      const wrongKey = razorpayClient(config, t.baseUrl, {
        key_id: 'rzp_test_other',
        key_secret: config.razorpay.keySecret,
      }).sdk;
      expect(await sdkError(wrongKey.paymentLink.create({ amount: 100 } as never))).toMatchObject({
        statusCode: 401,
        error: { description: 'The api key provided is invalid' },
      });
      const bare = await fetch(`${t.baseUrl}/sandbox/razorpay/api/v1/payment_links/plink_AAAAAAAAAAAAAA`);
      expect(bare.status).toBe(401);
      expect(await bare.json()).toMatchObject({
        error: { code: 'BAD_REQUEST_ERROR', description: expect.stringMatching(/api key/) },
      });
    });

    it('reads an expired link as expired; it can be neither cancelled nor paid, unless the money came late', async () => {
      const link = await createLink();
      expect((await expireLink(t.baseUrl, link.id as string)).status).toBe(200);
      const expired = (await sdk.paymentLink.fetch(link.id as string)) as unknown as Entity;
      expect(expired).toMatchObject({ status: 'expired', amount_paid: 0 });
      expect(expired.expired_at).toBeGreaterThan(0);
      expect(await sdkError(sdk.paymentLink.cancel(link.id as string))).toMatchObject({
        statusCode: 400,
        error: { description: expect.stringMatching(/expired/) },
      });

      const refused = await checkout(t.baseUrl, link.id as string, 'pay');
      expect(refused).toMatchObject({
        status: 400,
        body: { code: 'link_not_payable', detail: 'This payment link has expired' },
      });
      const late = await checkout(t.baseUrl, link.id as string, 'pay', { late: true });
      expect(late.status).toBe(200);
      expect(await sdk.paymentLink.fetch(link.id as string)).toMatchObject({ status: 'paid', amount_paid: 50_000 });
    });

    it('answers a 500 to the first create attempt of a link_500 link; the retry creates it', async () => {
      const reference = `inv-flaky-${Date.now()}`;
      const failed = await sdkError(
        createLink(50_000, { reference_id: reference, notes: { sandbox_fault: 'link_500' } }),
      );
      expect(failed).toMatchObject({ statusCode: 500, error: { code: 'SERVER_ERROR' } });
      // The retry recomputes expire_by; it is still the same link (keyed by reference_id).
      const link = await createLink(50_000, {
        reference_id: reference,
        notes: { sandbox_fault: 'link_500' },
        expire_by: expiresIn(31),
      });
      expect(link).toMatchObject({ status: 'created', reference_id: reference });
      // The amount trigger works the same way, for code paths whose notes a test does not control.
      expect(await sdkError(createLink(50_091))).toMatchObject({ statusCode: 500 });
    });
  });

  describe('paying and failing, and the webhooks that follow', () => {
    it('pays in full: a captured payment, a paid link, payment.captured then payment_link.paid, signed and delivered', async () => {
      const clinic = await ensureDefaultClinic();
      const link = await createLink(75_000, { notes: { clinicId: clinic.id, invoiceId: 'inv-pay' } });
      const paid = await checkout(t.baseUrl, link.id as string, 'pay');
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({
        paymentId: expect.stringMatching(/^pay_[A-Za-z0-9]{14}$/),
        paymentLinkId: link.id,
        status: 'captured',
      });
      expect(paid.body.events.map((event) => event.event)).toEqual(['payment.captured', 'payment_link.paid']);

      const payment = (await sdk.payments.fetch(paid.body.paymentId)) as unknown as Entity;
      expect(payment).toMatchObject({
        id: paid.body.paymentId,
        entity: 'payment',
        amount: 75_000,
        currency: 'INR',
        status: 'captured',
        order_id: expect.stringMatching(/^order_[A-Za-z0-9]{14}$/),
        invoice_id: null,
        method: 'upi',
        amount_refunded: 0,
        refund_status: null,
        captured: true,
        notes: { clinicId: clinic.id, invoiceId: 'inv-pay' },
        fee: 1770,
        tax: 270,
        error_code: null,
      });
      const after = (await sdk.paymentLink.fetch(link.id as string)) as unknown as Entity;
      expect(after).toMatchObject({
        status: 'paid',
        amount_paid: 75_000,
        payments: [{ payment_id: paid.body.paymentId, amount: 75_000, method: 'upi', status: 'captured' }],
      });

      const events = await storedEvents(t.baseUrl, { paymentLinkId: link.id as string });
      expect(events.map((event) => event.id)).toEqual(paid.body.events.map((event) => event.id));
      for (const event of events) {
        // The signature is HMAC-SHA256 of the exact stored body with the webhook secret, as the SDK checks it.
        expect(event.signature).toBe(createHmac('sha256', secret).update(event.body).digest('hex'));
        expect(signRazorpayWebhook(event.body, secret)).toBe(event.signature);
        expect(Razorpay.validateWebhookSignature(event.body, event.signature, secret)).toBe(true);
      }
      const [captured, linkPaid] = events.map(
        (event) => JSON.parse(event.body) as Entity & { payload: Record<string, { entity: Entity }> },
      );
      expect(captured).toMatchObject({
        entity: 'event',
        account_id: expect.stringMatching(/^acc_Sandbox/),
        event: 'payment.captured',
        contains: ['payment'],
        created_at: expect.any(Number),
      });
      expect(captured!.payload.payment!.entity).toEqual(payment);
      expect(linkPaid).toMatchObject({ event: 'payment_link.paid', contains: ['payment_link', 'order', 'payment'] });
      expect(linkPaid!.payload.payment_link!.entity).toMatchObject({
        id: link.id,
        status: 'paid',
        amount_paid: 75_000,
        order_id: payment.order_id,
        reference_id: link.reference_id,
      });
      expect(linkPaid!.payload.order!.entity).toMatchObject({
        id: payment.order_id,
        entity: 'order',
        status: 'paid',
        amount_paid: 75_000,
        amount_due: 0,
      });
      expect(linkPaid!.payload.payment!.entity).toEqual(payment);

      // Delivered in the order fired, with Razorpay's headers.
      const delivered = await waitFor(
        () => {
          const mine = capture.deliveries.filter((delivery) =>
            events.some((event) => event.id === delivery.headers['x-razorpay-event-id']),
          );
          return mine.length >= 2 && mine;
        },
        { what: 'two deliveries' },
      );
      expect(delivered.map((delivery) => delivery.headers['x-razorpay-event-id'])).toEqual(
        events.map((event) => event.id),
      );
      for (const [index, delivery] of delivered.entries()) {
        expect(delivery.body).toBe(events[index]!.body);
        expect(delivery.headers['x-razorpay-signature']).toBe(events[index]!.signature);
        expect(delivery.headers['content-type']).toBe('application/json');
      }
      const recorded = await waitFor(
        async () => {
          const list = await storedEvents(t.baseUrl, { paymentLinkId: link.id as string });
          return list.every((event) => event.deliveredAt) && list;
        },
        { what: 'deliveries recorded' },
      );
      expect(recorded.map((event) => [event.attempts, event.lastStatus])).toEqual([
        [1, 200],
        [1, 200],
      ]);

      const twice = await checkout(t.baseUrl, link.id as string, 'pay');
      expect(twice).toMatchObject({
        status: 400,
        body: { code: 'link_not_payable', detail: 'This payment link has already been paid' },
      });
      expect(await sdkError(sdk.paymentLink.cancel(link.id as string))).toMatchObject({
        statusCode: 400,
        error: { description: expect.stringMatching(/already been paid/) },
      });
    });

    it('fails a payment: payment.failed, the link stays open and can be paid after', async () => {
      const link = await createLink();
      const failed = await checkout(t.baseUrl, link.id as string, 'fail');
      expect(failed.body).toMatchObject({ status: 'failed', events: [{ event: 'payment.failed' }] });
      const payment = (await sdk.payments.fetch(failed.body.paymentId)) as unknown as Entity;
      expect(payment).toMatchObject({
        status: 'failed',
        captured: false,
        error_code: 'BAD_REQUEST_ERROR',
        error_reason: 'payment_failed',
        error_description: expect.any(String),
        fee: null,
      });
      const [event] = await storedEvents(t.baseUrl, { paymentId: failed.body.paymentId });
      expect(JSON.parse(event!.body)).toMatchObject({
        event: 'payment.failed',
        payload: { payment: { entity: { id: failed.body.paymentId, status: 'failed' } } },
      });
      expect(await sdk.paymentLink.fetch(link.id as string)).toMatchObject({
        status: 'created',
        amount_paid: 0,
        payments: [{ payment_id: failed.body.paymentId, status: 'failed' }],
      });
      expect((await checkout(t.baseUrl, link.id as string, 'pay')).status).toBe(200);
    });

    it('pays a cancelled link only when the money came late, and answers 404 for an unknown link', async () => {
      const link = await createLink();
      await sdk.paymentLink.cancel(link.id as string);
      expect(await checkout(t.baseUrl, link.id as string, 'pay')).toMatchObject({
        status: 400,
        body: { detail: 'This payment link was cancelled' },
      });
      expect(await checkout(t.baseUrl, link.id as string, 'fail')).toMatchObject({ status: 400 });
      expect(
        (await checkout(t.baseUrl, link.id as string, 'pay', { late: true })).body.events.map((event) => event.event),
      ).toEqual(['payment.captured', 'payment_link.paid']);
      expect((await checkout(t.baseUrl, 'plink_AAAAAAAAAAAAAA', 'pay')).status).toBe(404);
    });

    it('stores events undelivered on request, and resends them identically in the order a test chooses', async () => {
      const link = await createLink();
      const paid = await checkout(t.baseUrl, link.id as string, 'pay', { deliver: false });
      const [captured, linkPaid] = paid.body.events;
      await new Promise((resolve) => setTimeout(resolve, 700));
      const isMine = (id: string) =>
        capture.deliveries.filter((delivery) => delivery.headers['x-razorpay-event-id'] === id);
      expect(isMine(captured!.id)).toHaveLength(0);
      expect(
        (await storedEvents(t.baseUrl, { paymentLinkId: link.id as string })).map((event) => event.attempts),
      ).toEqual([0, 0]);

      // payment_link.paid before payment.captured, then a duplicate: the handler must cope with both.
      expect(await resendEvent(t.baseUrl, linkPaid!.id)).toMatchObject({
        id: linkPaid!.id,
        attempts: 1,
        lastStatus: 200,
        deliveredAt: expect.any(String),
      });
      await resendEvent(t.baseUrl, captured!.id);
      const again = await resendEvent(t.baseUrl, linkPaid!.id);
      expect(again.attempts).toBe(2);
      const order = capture.deliveries.filter((delivery) =>
        [captured!.id, linkPaid!.id].includes(String(delivery.headers['x-razorpay-event-id'])),
      );
      expect(order.map((delivery) => delivery.headers['x-razorpay-event-id'])).toEqual([
        linkPaid!.id,
        captured!.id,
        linkPaid!.id,
      ]);
      expect(order[2]!.body).toBe(order[0]!.body);
      expect(order[2]!.headers['x-razorpay-signature']).toBe(order[0]!.headers['x-razorpay-signature']);
      expect(
        (await fetch(`${t.baseUrl}/sandbox/razorpay/events/evt_AAAAAAAAAAAAAA/resend`, { method: 'POST' })).status,
      ).toBe(404);
    });

    it('retries a delivery the webhook refused, with backoff, until it is accepted', async () => {
      capture.status = 500;
      const link = await createLink();
      const paid = await checkout(t.baseUrl, link.id as string, 'pay');
      const eventId = paid.body.events[0]!.id;
      const tried = await waitFor(
        async () => {
          const [event] = await storedEvents(t.baseUrl, { paymentId: paid.body.paymentId });
          return event && event.attempts >= 2 && event;
        },
        { what: 'a retried delivery' },
      );
      expect(tried).toMatchObject({ id: eventId, lastStatus: 500, deliveredAt: null });
      capture.status = 200;
      const delivered = await waitFor(
        async () => {
          const [event] = await storedEvents(t.baseUrl, { paymentId: paid.body.paymentId });
          return event?.deliveredAt ? event : undefined;
        },
        { what: 'the retry accepted', timeoutMs: 20_000 },
      );
      expect(delivered.lastStatus).toBe(200);
      const bodies = new Set(
        capture.deliveries
          .filter((delivery) => delivery.headers['x-razorpay-event-id'] === eventId)
          .map((delivery) => delivery.body),
      );
      expect(bodies.size).toBe(1);
    }, 40_000);
  });

  describe('refunds', () => {
    it('refunds idempotently per key, never beyond what was captured, and settles asynchronously', async () => {
      const { paymentId } = await paidLink(50_000);
      const first = (await refund(paymentId, { amount: 20_000, notes: { reason: 'cancelled' } }, 'key-a')).data;
      expect(first).toMatchObject({
        id: expect.stringMatching(/^rfnd_[A-Za-z0-9]{14}$/),
        entity: 'refund',
        amount: 20_000,
        currency: 'INR',
        payment_id: paymentId,
        notes: { reason: 'cancelled' },
        receipt: null,
        status: 'pending',
        speed_processed: 'normal',
        speed_requested: 'normal',
        created_at: expect.any(Number),
      });
      expect((await refund(paymentId, { amount: 20_000, notes: { reason: 'cancelled' } }, 'key-a')).data).toMatchObject(
        { id: first.id },
      );

      const racing = await Promise.all(Array.from({ length: 5 }, () => refund(paymentId, { amount: 10_000 }, 'key-b')));
      expect(new Set(racing.map((response) => response.data.id)).size).toBe(1);

      await expect(refund(paymentId, { amount: 30_000 }, 'key-c')).rejects.toMatchObject({
        response: {
          status: 400,
          data: {
            error: {
              code: 'BAD_REQUEST_ERROR',
              description: 'The refund amount provided is greater than amount captured',
              field: 'amount',
            },
          },
        },
      });
      // Without an amount a refund takes what is left; after that nothing is.
      const rest = (await refund(paymentId, {}, 'key-d')).data;
      expect(rest.amount).toBe(20_000);
      await expect(refund(paymentId, { amount: 100 }, 'key-e')).rejects.toMatchObject({ response: { status: 400 } });

      const listed = (await rq.get<{ count: number; items: Entity[] }>(`/v1/payments/${paymentId}/refunds`)).data;
      expect(listed.count).toBe(3);
      expect(await sdk.payments.fetchRefund(paymentId, first.id as string)).toMatchObject({ id: first.id });

      const settled = await waitFor(
        async () => {
          const payment = (await sdk.payments.fetch(paymentId)) as unknown as Entity;
          return payment.amount_refunded === 50_000 && payment;
        },
        { what: 'refunds processed' },
      );
      expect(settled).toMatchObject({ status: 'refunded', refund_status: 'full' });
      expect(await sdk.refunds.fetch(first.id as string)).toMatchObject({ id: first.id, status: 'processed' });
      const events = await waitFor(
        async () => {
          const list = (await storedEvents(t.baseUrl, { paymentId })).filter(
            (event) => event.event === 'refund.processed',
          );
          return list.length === 3 && list;
        },
        { what: 'three refund.processed events' },
      );
      const body = JSON.parse(events.find((event) => event.refundId === first.id)!.body) as Entity;
      expect(body).toMatchObject({
        event: 'refund.processed',
        contains: ['refund', 'payment'],
        payload: {
          refund: { entity: { id: first.id, status: 'processed', amount: 20_000 } },
          payment: { entity: { id: paymentId } },
        },
      });
    });

    it('refund_timeout: the first call times out, the retry with the same key gets the one refund at once', async () => {
      const { paymentId } = await paidLink(40_000);
      const body = { amount: 15_000, notes: { sandbox_fault: 'refund_timeout', sandbox_hold_ms: '2500' } };
      await expect(refund(paymentId, body, 'key-timeout', 1000)).rejects.toMatchObject({ code: 'ECONNABORTED' });
      const started = Date.now();
      const retry = (await refund(paymentId, body, 'key-timeout', 1000)).data;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(retry).toMatchObject({ amount: 15_000, payment_id: paymentId });
      const listed = (await rq.get<{ items: Entity[] }>(`/v1/payments/${paymentId}/refunds`)).data;
      expect(listed.items.map((item) => item.id)).toEqual([retry.id]);
    });

    it('refund_reset (amount ending 94): the connection drops after the refund is stored; the retry gets it', async () => {
      const { paymentId } = await paidLink(30_094);
      await expect(refund(paymentId, { amount: 10_000 }, 'key-reset')).rejects.toMatchObject({ code: 'ECONNRESET' });
      const retry = (await refund(paymentId, { amount: 10_000 }, 'key-reset')).data;
      const listed = (await rq.get<{ items: Entity[] }>(`/v1/payments/${paymentId}/refunds`)).data;
      expect(listed.items.map((item) => item.id)).toEqual([retry.id]);
    });

    it('refund_failed (amount ending 93): the refund fails later, refund.failed fires and the amount is refundable again', async () => {
      const { paymentId } = await paidLink(50_093);
      const failing = (await refund(paymentId, {}, 'key-fails')).data;
      expect(failing).toMatchObject({ status: 'pending', amount: 50_093 });
      const [event] = await waitFor(
        async () => {
          const list = (await storedEvents(t.baseUrl, { refundId: failing.id as string })).filter(
            (item) => item.event === 'refund.failed',
          );
          return list.length > 0 && list;
        },
        { what: 'refund.failed' },
      );
      expect(JSON.parse(event!.body)).toMatchObject({
        payload: {
          refund: { entity: { id: failing.id, status: 'failed' } },
          payment: { entity: { amount_refunded: 0, status: 'captured' } },
        },
      });
      expect(await sdk.refunds.fetch(failing.id as string)).toMatchObject({ status: 'failed' });
      expect((await refund(paymentId, {}, 'key-fails-2')).data).toMatchObject({ amount: 50_093, status: 'pending' });
    });

    it('answers Razorpay errors for unknown ids, a failed payment and unknown API paths', async () => {
      expect(await sdkError(sdk.payments.fetch('pay_AAAAAAAAAAAAAA'))).toMatchObject({
        statusCode: 400,
        error: { description: 'The id provided does not exist' },
      });
      expect(await sdkError(sdk.refunds.fetch('rfnd_AAAAAAAAAAAAAA'))).toMatchObject({
        statusCode: 400,
        error: { description: 'The id provided does not exist' },
      });
      await expect(refund('pay_AAAAAAAAAAAAAA', {}, 'k')).rejects.toMatchObject({
        response: { status: 400, data: { error: { description: 'The id provided does not exist' } } },
      });
      const link = await createLink();
      const failed = await checkout(t.baseUrl, link.id as string, 'fail');
      await expect(refund(failed.body.paymentId, {}, 'k')).rejects.toMatchObject({
        response: { status: 400, data: { error: { code: 'BAD_REQUEST_ERROR' } } },
      });
      await expect(rq.get('/v1/orders')).rejects.toMatchObject({
        response: { status: 400, data: { error: { description: 'The requested URL was not found on the server.' } } },
      });
    });
  });

  describe('the checkout page', () => {
    it('shows the clinic, description, amount and expiry with Pay and Fail, and a form post flips it to paid', async () => {
      const clinic = await ensureDefaultClinic();
      const link = await createLink(125_050, { description: 'Consultation <Dr. Rao>', notes: { clinicId: clinic.id } });
      const path = `/sandbox/razorpay/l/${link.id}`;
      const page = await t.http.get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).not.toMatch(/<script/i);
      expect(page.text).toContain(`<h1>${clinic.name}</h1>`);
      expect(page.text).toContain('Consultation &#60;Dr. Rao&#62;');
      expect(page.text).toContain('₹1,250.50');
      expect(page.text).toContain('Awaiting payment');
      expect(page.text).toMatch(/IST/);
      expect(page.text).toContain(`action="/sandbox/razorpay/payment_links/${link.id}/pay"`);
      expect(page.text).toContain(`action="/sandbox/razorpay/payment_links/${link.id}/fail"`);

      const failed = await t.http
        .post(`/sandbox/razorpay/payment_links/${link.id}/fail`)
        .type('form')
        .send({ deliver: 'true' });
      expect(failed.status).toBe(303);
      expect(failed.headers.location).toBe(`${path}?result=failed`);
      expect((await t.http.get(failed.headers.location!)).text).toContain('Payment failed');

      const paid = await t.http
        .post(`/sandbox/razorpay/payment_links/${link.id}/pay`)
        .type('form')
        .send({ deliver: 'true' });
      expect(paid.status).toBe(303);
      expect(paid.headers.location).toBe(`${path}?result=paid`);
      const after = await t.http.get(paid.headers.location!);
      expect(after.text).toContain('Payment successful');
      expect(after.text).toContain('you can return to WhatsApp');
      expect(after.text).not.toContain('<button');

      const again = await t.http
        .post(`/sandbox/razorpay/payment_links/${link.id}/pay`)
        .type('form')
        .send({ deliver: 'true' });
      expect(again.headers.location).toBe(`${path}?result=refused`);
    });

    it('names the sandbox when the link names no known clinic, says so for cancelled links, and 404s unknown ones', async () => {
      const link = await createLink(50_000, { notes: { clinicId: '000000000000000000000000' } });
      expect((await t.http.get(`/sandbox/razorpay/l/${link.id}`)).text).toContain('<h1>CINIC sandbox</h1>');
      await sdk.paymentLink.cancel(link.id as string);
      const cancelled = await t.http.get(`/sandbox/razorpay/l/${link.id}`);
      expect(cancelled.text).toContain('This payment link was cancelled');
      expect(cancelled.text).not.toContain('<button');
      const missing = await t.http.get('/sandbox/razorpay/l/plink_AAAAAAAAAAAAAA');
      expect(missing.status).toBe(404);
      expect(missing.text).toContain('This payment link does not exist');
    });

    it('lists links on the sandbox index, which the landing page links to', async () => {
      const link = await createLink(50_000, { description: 'Index listing check' });
      const index = await t.http.get('/sandbox/razorpay');
      expect(index.status).toBe(200);
      expect(index.text).toContain(`href="/sandbox/razorpay/l/${link.id}"`);
      expect(index.text).toContain('Index listing check');
      expect((await t.http.get('/')).text).toContain('href="/sandbox/razorpay"');
      const css = await t.http.get('/sandbox/razorpay/assets/checkout.css');
      expect(css.status).toBe(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
    });
  });
});
