/**
 * The reads the doctor's screens are built on, each one request and one audit event:
 * - the visit bundle: the note, its appointment, the patient with flags and allergies, this
 *   visit's prescription and diet-plan versions and lab tests, and the patient's history;
 * - the clinical history of a patient: flags and allergies first, past visits, active
 *   prescriptions and diet plans, recent lab results.
 * Everything is fetched in parallel; access is decided once per patient (clinical-access.ts).
 */
import type { Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { getAppointment } from '../appointments/appointment.service.js';
import type { AppointmentView } from '../appointments/appointment.view.js';
import { loadDoctor } from '../doctors/doctor.service.js';
import { patientRecord } from '../patients/patient.service.js';
import { toPatientSummary } from '../patients/patient.views.js';
import { authorizeClinicalRead, recordClinicalRead } from './clinical-access.js';
import { DIET_PLANS, toDietPlanView } from './diet-plan.service.js';
import { withWhatsAppState } from './issued-delivery.js';
import type { DietPlanView } from './diet-plan.service.js';
import type { DietPlanRecord } from './diet-plan.model.js';
import { activeOfPatient, seriesOfVisit } from './issued-series.js';
import { labTestsOfVisit, recentResultsOfPatient } from './lab.service.js';
import { toLabTestView } from './lab.views.js';
import type { LabTestView } from './lab.views.js';
import { PRESCRIPTIONS, toPrescriptionView } from './prescription.service.js';
import type { PrescriptionView } from './prescription.service.js';
import type { PrescriptionRecord } from './prescription.model.js';
import { Visit } from './visit.model.js';
import type { VisitRecord } from './visit.model.js';
import { loadVisit, openVisit, visitOfAppointment } from './visit.service.js';
import { toVisitDetail, toVisitSummary } from './visit.views.js';
import type { VisitDetail, VisitSummary } from './visit.views.js';

/** The patient at the top of every clinical screen: who, and what to be careful of. */
export interface PatientHeader {
  id: string;
  code: string;
  name: string;
  age: number;
  ageExact: boolean;
  isMinor: boolean;
  sex?: string;
  allergies: string[];
  conditions: string[];
  flagNotes?: string;
}

/** A patient's clinical history (flags and allergies first). */
export interface PatientHistory {
  patient: PatientHeader;
  visits: VisitSummary[];
  activePrescriptions: PrescriptionView[];
  activeDietPlans: DietPlanView[];
  recentLabs: LabTestView[];
}

/** Everything the visit editor shows, in one read. */
export interface VisitBundle {
  visit: VisitDetail;
  appointment: Pick<AppointmentView, 'id' | 'status' | 'startAt' | 'localDate' | 'tokenNumber' | 'version'>;
  patient: PatientHeader;
  prescriptions: { current: PrescriptionView | null; versions: PrescriptionView[] };
  dietPlans: { current: DietPlanView | null; versions: DietPlanView[] };
  labTests: LabTestView[];
  history: Omit<PatientHistory, 'patient'>;
}

/** How many past visits the history lists. */
const HISTORY_VISITS = 20;

async function patientHeader(clinicId: string, patientId: string): Promise<PatientHeader> {
  const patient = await patientRecord(clinicId, patientId);
  if (!patient) throw notFound('Patient');
  const summary = toPatientSummary(patient);
  const flags = patient.medicalFlags;
  return {
    id: summary.id,
    code: summary.code,
    name: summary.name,
    age: summary.age,
    ageExact: summary.ageExact,
    isMinor: summary.isMinor,
    ...(summary.sex ? { sex: summary.sex } : {}),
    allergies: flags?.allergies ?? [],
    conditions: flags?.conditions ?? [],
    ...(flags?.notes ? { flagNotes: flags.notes } : {}),
  };
}

async function doctorNames(clinicId: string, visits: VisitRecord[]): Promise<Map<string, string>> {
  const ids = [...new Set(visits.map((visit) => String(visit.doctorId)))];
  const names = await Promise.all(
    ids.map((id) =>
      loadDoctor(clinicId, id).then(
        (doctor) => doctor.name,
        () => undefined,
      ),
    ),
  );
  return new Map(ids.flatMap((id, index) => (names[index] ? [[id, names[index]] as [string, string]] : [])));
}

/** History without the header; `onlySigned` for patients, `exceptVisitId` for the bundle. */
async function historyOf(
  actor: Actor,
  patientId: string,
  exceptVisitId?: string,
): Promise<Omit<PatientHistory, 'patient'>> {
  const onlySigned = actor.type === 'patient';
  const [visits, prescriptions, dietPlans, labs] = await Promise.all([
    Visit.find(
      { clinicId: actor.clinicId, patientId, ...(onlySigned ? { status: 'signed' } : {}) },
      { soap: 0, addenda: 0, vitals: 0, followUp: 0 },
    )
      .sort({ startAt: -1 })
      .limit(HISTORY_VISITS + 1)
      .lean<VisitRecord[]>(),
    activeOfPatient<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, patientId),
    activeOfPatient<DietPlanRecord>(DIET_PLANS, actor.clinicId, patientId),
    recentResultsOfPatient(actor.clinicId, patientId),
  ]);
  const past = visits.filter((visit) => String(visit._id) !== exceptVisitId).slice(0, HISTORY_VISITS);
  const names = await doctorNames(actor.clinicId, past);
  return {
    visits: past.map((visit) => toVisitSummary(visit, names.get(String(visit.doctorId)))),
    activePrescriptions: prescriptions.map(toPrescriptionView),
    activeDietPlans: dietPlans.map(toDietPlanView),
    recentLabs: labs.map(toLabTestView),
  };
}

async function bundleOf(actor: Actor, visit: VisitRecord, appointment?: AppointmentView): Promise<VisitBundle> {
  const grant = await authorizeClinicalRead(actor, 'visits', visit);
  if (actor.type === 'patient' && visit.status !== 'signed') throw notFound('Visit');
  const [appt, patient, prescriptions, dietPlans, labTests, history] = await Promise.all([
    appointment ?? getAppointment(actor, String(visit.appointmentId)),
    patientHeader(actor.clinicId, String(visit.patientId)),
    seriesOfVisit<PrescriptionRecord>(PRESCRIPTIONS, actor.clinicId, visit._id),
    seriesOfVisit<DietPlanRecord>(DIET_PLANS, actor.clinicId, visit._id),
    labTestsOfVisit(actor.clinicId, visit._id),
    historyOf(actor, String(visit.patientId), String(visit._id)),
  ]);
  await recordClinicalRead(actor, grant, {
    action: 'visit.viewed',
    entity: { type: 'visit', id: visit._id },
    patientId: visit.patientId,
    details: [{ field: 'scope', to: 'bundle' }],
  });
  // Each version says whether it reached the patient on WhatsApp ("sent on WhatsApp" in the doctor view).
  const [rx, diets] = await Promise.all([
    withWhatsAppState(actor.clinicId, 'prescription', prescriptions.map(toPrescriptionView)),
    withWhatsAppState(actor.clinicId, 'diet_plan', dietPlans.map(toDietPlanView)),
  ]);
  return {
    visit: toVisitDetail(visit),
    appointment: {
      id: appt.id,
      status: appt.status,
      startAt: appt.startAt,
      localDate: appt.localDate,
      ...(appt.tokenNumber ? { tokenNumber: appt.tokenNumber } : {}),
      version: appt.version,
    },
    patient,
    prescriptions: { current: rx[0] ?? null, versions: rx },
    dietPlans: { current: diets[0] ?? null, versions: diets },
    labTests: labTests.map(toLabTestView),
    history,
  };
}

/** The editor's bundle for `visitId`; audited as one read. */
export async function getVisitBundle(actor: Actor, visitId: string): Promise<VisitBundle> {
  return bundleOf(actor, await loadVisit(actor.clinicId, visitId));
}

/**
 * The editor's bundle for an appointment: the appointment's own doctor gets its visit opened if
 * the check-in did not open one already; anyone else needs an existing visit (404 otherwise).
 */
export async function getConsultBundle(actor: Actor, appointmentId: string): Promise<VisitBundle> {
  const appointment = await getAppointment(actor, appointmentId);
  const ownDoctor = actor.type === 'staff' && actor.doctorId === appointment.doctorId;
  const visit =
    (await visitOfAppointment(actor.clinicId, appointment.id)) ??
    (ownDoctor ? await openVisit(actor, appointment.id) : null);
  if (!visit) throw notFound('Visit');
  return bundleOf(actor, visit, appointment);
}

/** A patient's clinical history for a reader the access rules admit; audited. */
export async function getClinicalHistory(actor: Actor, patientId: string): Promise<PatientHistory> {
  const patient = await patientHeader(actor.clinicId, patientId);
  const grant = await authorizeClinicalRead(actor, 'visits', { clinicId: actor.clinicId, patientId: patient.id });
  const history = await historyOf(actor, patient.id);
  await recordClinicalRead(actor, grant, {
    action: 'clinical_history.viewed',
    entity: { type: 'patient', id: patient.id },
    patientId: patient.id,
  });
  return { patient, ...history };
}
