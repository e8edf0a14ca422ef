/**
 * Errors on the doctor's pages become pages, not problem+json: a 403 for a patient outside the
 * care window becomes the break-glass form; other refusals and missing records get a plain page
 * with a way back. Unknown errors are logged (ids only, via the request's log context) as 500s.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { getPatient } from '../modules/patients/patient.service.js';
import { AppError } from '../platform/errors.js';
import { log } from '../platform/logger.js';
import { errorPage, page } from './layout.js';
import { breakGlassBody } from './patient.page.js';
import { doctorOf } from './session.js';
import type { DoctorContext } from './session.js';

/** The patient a `no_care_relationship` refusal is about (its break-glass link names them). */
function refusedPatientId(error: AppError): string | undefined {
  const link = error.details?.breakGlass;
  return typeof link === 'string' ? /\/clinical-history\/([0-9a-f]{24})\/break-glass$/.exec(link)?.[1] : undefined;
}

/** Sends the break-glass page for `patientId` with status 403 (or 400 with `error`). */
export async function sendBreakGlass(
  res: Response,
  context: DoctorContext,
  patientId: string,
  message: string,
  error?: string,
): Promise<void> {
  const patient = await getPatient(context.actor, patientId);
  res
    .status(error ? 400 : 403)
    .type('html')
    .send(
      page({
        title: 'No care relationship',
        page: 'break-glass',
        doctorName: context.doctorName,
        clinicName: context.clinic.name,
        body: breakGlassBody(patient, message, error),
      }),
    );
}

/** Renders `error` as a page for the signed-in doctor. */
export async function sendViewError(res: Response, error: unknown): Promise<void> {
  const context = doctorOf(res);
  const doctorName = context.doctorName;
  if (error instanceof AppError && error.details?.reason === 'no_care_relationship') {
    const patientId = refusedPatientId(error);
    if (patientId) return sendBreakGlass(res, context, patientId, error.message);
  }
  if (error instanceof ZodError || (error instanceof AppError && error.status === 404)) {
    res
      .status(404)
      .type('html')
      .send(
        errorPage({
          status: 404,
          title: 'Not found',
          message: 'There is no such record in this clinic. The link may be wrong or old.',
          doctorName,
        }),
      );
    return;
  }
  if (error instanceof AppError && error.status < 500) {
    res
      .status(error.status)
      .type('html')
      .send(
        errorPage({
          status: error.status,
          title: error.status === 403 ? 'Not allowed' : 'That did not work',
          message: error.message,
          doctorName,
        }),
      );
    return;
  }
  log().error({ err: error }, 'doctor view page failed');
  res
    .status(500)
    .type('html')
    .send(
      errorPage({
        status: 500,
        title: 'Something went wrong',
        message: 'The page could not be shown. It has been logged; try again in a moment.',
        doctorName,
      }),
    );
}

/** Wraps a page handler: the doctor's context in, errors out as pages. */
export function viewHandler(
  handler: (req: Request, res: Response, context: DoctorContext) => Promise<void>,
): RequestHandler {
  return (req, res, next) => {
    handler(req, res, doctorOf(res))
      .catch((error: unknown) => sendViewError(res, error))
      .catch(next);
  };
}
