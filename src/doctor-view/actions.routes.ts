/**
 * The doctor view's form posts, for the steps that move the consultation (they work without the
 * script, so a tap always does something): each calls one service and redirects, with a fixed
 * notice when the service refused.
 *   POST /doctor/appointments/:appointmentId/check-in   confirmed → checked_in (clinics without a front desk)
 *   POST /doctor/consults/:appointmentId/start      checked_in → in_consult, then the editor
 *   POST /doctor/consults/:appointmentId/complete   needs the signed note (422 → notice)
 *   POST /doctor/patients/:patientId/break-glass    reason → 60 minutes of audited access
 * Everything else the editor does goes straight to the JSON API (/api/v1) from the script.
 */
import { Router } from 'express';
import type { Request, Response } from 'express';
import { transitionAppointment } from '../modules/appointments/appointment.service.js';
import { breakGlass } from '../modules/clinical/break-glass.service.js';
import { completeConsult, startConsult } from '../modules/clinical/consult.service.js';
import { appointmentParams, breakGlassBody, patientParams } from '../modules/clinical/visit.schemas.js';
import { AppError } from '../platform/errors.js';
import { parseParams } from '../platform/http/validate.js';
import type { Runtime } from '../platform/runtime.js';
import type { NoticeCode } from './layout.js';
import { requireDoctor } from './session.js';
import type { DoctorContext } from './session.js';
import { visitIdOfAppointment } from './view.service.js';
import { sendBreakGlass, viewHandler } from './view-errors.js';

/** Runs `step`; a 409/422 from the service becomes a redirect chosen by `refused`. */
async function orRedirect(
  res: Response,
  step: () => Promise<string>,
  refused: (error: AppError) => Promise<string | undefined>,
): Promise<void> {
  try {
    res.redirect(303, await step());
  } catch (error) {
    const target =
      error instanceof AppError && (error.status === 409 || error.status === 422) ? await refused(error) : undefined;
    if (!target) throw error;
    res.redirect(303, target);
  }
}

/** The notice for a refused check-in: the wrong day, or the booking is no longer waiting for one. */
function checkInRefusal(error: AppError): NoticeCode {
  if (error.details?.reason === 'not_appointment_day') return 'check_in_wrong_day';
  return error.details?.currentStatus === 'tentative' ? 'check_in_unpaid' : 'check_in_refused';
}

/** The action routes. */
export function actionRoutes(runtime: Runtime): Router {
  const router = Router();
  const doctor = requireDoctor(runtime);
  const appointmentOf = (req: Request) => parseParams(appointmentParams, req).appointmentId;

  router.post(
    '/doctor/appointments/:appointmentId/check-in',
    doctor,
    viewHandler(async (req, res, { actor }) => {
      const appointmentId = appointmentOf(req);
      // As the doctor: the lifecycle lets a doctor check in their own patient on the appointment day.
      await orRedirect(
        res,
        async () => (
          await transitionAppointment(actor, appointmentId, { event: 'CHECK_IN' }),
          '/doctor?notice=checked_in'
        ),
        async (error) => `/doctor?notice=${checkInRefusal(error)}`,
      );
    }),
  );
  router.post(
    '/doctor/consults/:appointmentId/start',
    doctor,
    viewHandler(async (req, res, { actor }) => {
      const appointmentId = appointmentOf(req);
      await orRedirect(
        res,
        async () => `/doctor/visits/${(await startConsult(actor, appointmentId)).visit.id}`,
        async () => '/doctor?notice=not_checked_in',
      );
    }),
  );
  router.post(
    '/doctor/consults/:appointmentId/complete',
    doctor,
    viewHandler(async (req, res, { actor }) => {
      const appointmentId = appointmentOf(req);
      await orRedirect(
        res,
        async () => (await completeConsult(actor, appointmentId), '/doctor?notice=completed'),
        async (error) => {
          const notice = error.details?.reason === 'note_not_signed' ? 'note_not_signed' : 'not_in_consult';
          return `/doctor/visits/${await visitIdOfAppointment(actor, appointmentId)}?notice=${notice}`;
        },
      );
    }),
  );
  router.post(
    '/doctor/patients/:patientId/break-glass',
    doctor,
    viewHandler(async (req, res, context: DoctorContext) => {
      const { patientId } = parseParams(patientParams, req);
      const body = breakGlassBody.safeParse({
        reason: (req.body as Record<string, unknown> | undefined)?.reason ?? '',
      });
      if (!body.success) {
        await sendBreakGlass(
          res,
          context,
          patientId,
          'State a reason to open this record.',
          'Describe why you need this record (at least 10 characters).',
        );
        return;
      }
      await breakGlass(context.actor, patientId, body.data.reason);
      res.redirect(303, `/doctor/patients/${patientId}?notice=break_glass`);
    }),
  );
  return router;
}
