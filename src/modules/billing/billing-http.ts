/** Small response helpers shared by the billing routes. */
import type { Request, Response } from 'express';
import type { Actor } from '../../platform/actor.js';
import { idempotencyKey } from './invoice.schemas.js';

/** The signed-in actor of a request that passed requireStaff. */
export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}

/** The request's Idempotency-Key header, validated (400 when malformed). */
export function idempotencyKeyOf(req: Request): string | undefined {
  return idempotencyKey.parse(req.get('idempotency-key') ?? undefined);
}

/** Sends a stored PDF inline with a filename made of its document number. */
export function sendPdf(res: Response, document: { filename: string; body: Buffer }): void {
  res.setHeader('Content-Disposition', `inline; filename="${document.filename}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.type('application/pdf').send(document.body);
}

/** Problem responses shared by the billing operations' documentation. */
export const problemResponses = {
  400: { description: 'Invalid request' },
  401: { description: 'Not signed in' },
  403: { description: 'Role may not do this; discount and refund denials name the `approvers`' },
  404: { description: 'No such record in this clinic' },
  409: { description: 'Not in a state that allows it (draft vs issued, void, changed meanwhile)' },
  422: {
    description: 'A business rule says no (over-payment, over-refund, no rate in force, incomplete clinic profile)',
  },
};
