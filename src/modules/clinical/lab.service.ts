/**
 * Lab tests: the visit's doctor orders them; front desk or a doctor enters each result from the
 * lab's report; the result is flagged against its reference range (lab-flags.ts). An abnormal
 * result is audited, published as `lab.abnormal` (automation will notify from it) and listed on
 * the ordering doctor's screen until they acknowledge it. A correction keeps the earlier result.
 */
import { Types } from 'mongoose';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit/audit.service.js';
import { diffFields } from '../../platform/audit/audit-diff.js';
import { canonicalJson } from '../../platform/audit/audit-hash.js';
import { publish } from '../../platform/domain-events.js';
import { conflict, forbidden, notFound, unprocessable } from '../../platform/errors.js';
import { assertCan, can } from '../../platform/rbac/can.js';
import { assertClinicalWrite, authorizeClinicalRead, recordClinicalRead } from './clinical-access.js';
import { flagResult, isAbnormal } from './lab-flags.js';
import { LabTest } from './lab.model.js';
import type { CorrectedResult, LabResult, LabTestRecord } from './lab.model.js';
import { labResultBody, orderLabTestsBody } from './lab.schemas.js';
import type { LabResultInput, OrderLabTestsInput } from './lab.schemas.js';
import { toLabResultReceipt, toLabTestView, toPendingLabTest } from './lab.views.js';
import type { LabResultReceipt, LabTestView, PendingLabTest } from './lab.views.js';
import { loadVisit } from './visit.service.js';

/** How long acknowledged abnormal results stay on the doctor's list (below the unacknowledged ones). */
const ACKNOWLEDGED_DAYS = 14;

async function loadLabTest(clinicId: string, labTestId: string): Promise<LabTestRecord> {
  const record = Types.ObjectId.isValid(labTestId)
    ? await LabTest.findOne({ _id: labTestId, clinicId }).lean<LabTestRecord>()
    : null;
  if (!record) throw notFound('Lab test');
  return record;
}

/** Orders tests on the actor's own visit; audited (with a count, not the test names). */
export async function orderLabTests(actor: Actor, visitId: string, input: OrderLabTestsInput): Promise<LabTestView[]> {
  const data = orderLabTestsBody.parse(input);
  const visit = await loadVisit(actor.clinicId, visitId);
  assertClinicalWrite(actor, 'update', 'visits', visit);
  assertCan(actor, 'create', 'lab_results', visit);
  const orderId = new Types.ObjectId();
  const orderedAt = new Date();
  const docs = await LabTest.create(
    data.tests.map((test) => ({
      clinicId: visit.clinicId,
      visitId: visit._id,
      appointmentId: visit.appointmentId,
      patientId: visit.patientId,
      doctorId: visit.doctorId,
      orderId,
      orderedAt,
      orderedBy: actor.id,
      test: JSON.parse(JSON.stringify(test)) as LabTestRecord['test'],
    })),
  );
  await audit.record({
    actor,
    action: 'lab.ordered',
    entity: { type: 'visit', id: visit._id },
    diff: [
      { field: 'orderId', to: String(orderId) },
      { field: 'tests', to: docs.length },
    ],
  });
  return docs.map((doc) => toLabTestView(doc.toObject() as unknown as LabTestRecord));
}

function resultOf(data: ReturnType<typeof labResultBody.parse>): LabResult {
  const flag = flagResult(data);
  return JSON.parse(
    JSON.stringify({
      value: data.value,
      unit: data.unit,
      referenceLow: data.referenceLow,
      referenceHigh: data.referenceHigh,
      referenceText: data.referenceText,
      flag,
    }),
  ) as LabResult;
}

/** The same entry sent again by the same person (a retried request): answered, not refused. */
function isReplay(actor: Actor, test: LabTestRecord, version: number, result: LabResult): boolean {
  return (
    test.status === 'resulted' &&
    test.version === version + 1 &&
    test.resultedBy?.staffId === actor.id &&
    canonicalJson(test.result) === canonicalJson(result)
  );
}

/**
 * Enters the result of a test (front desk or a doctor), or corrects an entered one (the ordering
 * doctor, with a reason; the earlier result is kept). `version` must match (409 otherwise). An
 * abnormal result is audited, published as `lab.abnormal` and waits for the doctor's
 * acknowledgement; the same entry sent twice by the same person is answered once. Readers of lab results get the test back; front desk gets a receipt.
 */
export async function enterLabResult(
  actor: Actor,
  labTestId: string,
  input: LabResultInput,
): Promise<LabTestView | LabResultReceipt> {
  const data = labResultBody.parse(input);
  const test = await loadLabTest(actor.clinicId, labTestId);
  const result = resultOf(data);
  if (isReplay(actor, test, data.version, result))
    return can(actor, 'read', 'lab_results') ? toLabTestView(test) : toLabResultReceipt(test);
  const isCorrection = test.status === 'resulted';
  if (isCorrection) {
    assertCan(actor, 'update', 'lab_results', test);
    if (!data.correctionReason)
      throw unprocessable('Say why the entered result is being corrected', { reason: 'correction_reason_required' });
  } else {
    assertCan(actor, 'create', 'lab_results', test);
  }
  if (data.version !== test.version)
    throw conflict('The result was entered or changed meanwhile; reload it first', {
      reason: 'stale_version',
      currentVersion: test.version,
    });

  const now = new Date();
  const abnormal = isAbnormal(result.flag);
  const corrections: CorrectedResult[] | undefined =
    isCorrection && test.result
      ? [
          ...(test.corrections ?? []),
          {
            result: test.result,
            resultedAt: test.resultedAt!,
            resultedBy: test.resultedBy?.staffId ?? 'unknown',
            replacedAt: now,
            replacedBy: actor.id,
            reason: data.correctionReason!,
          },
        ]
      : undefined;
  const updated = await LabTest.findOneAndUpdate(
    { _id: test._id, clinicId: test.clinicId, version: test.version },
    {
      $set: {
        status: 'resulted',
        result,
        abnormal,
        resultedAt: now,
        resultedBy: { staffId: actor.id, roles: [...actor.roles] },
        ...(corrections ? { corrections } : {}),
      },
      // A new abnormal value needs a fresh look, even if an earlier one was acknowledged.
      ...(abnormal ? { $unset: { acknowledgedAt: 1, acknowledgedBy: 1 } } : {}),
      $inc: { version: 1 },
    },
    { new: true },
  ).lean<LabTestRecord>();
  if (!updated)
    throw conflict('The result was entered or changed meanwhile; reload it first', { reason: 'stale_version' });

  await audit.record({
    actor,
    action: isCorrection ? 'lab.result_corrected' : 'lab.result_entered',
    entity: { type: 'lab_test', id: test._id },
    diff: [
      ...diffFields(isCorrection ? { result: test.result } : null, { result }, { phi: ['result'] }),
      { field: 'abnormal', ...(isCorrection ? { from: test.abnormal } : {}), to: abnormal },
      ...(data.correctionReason
        ? diffFields(null, { correctionReason: data.correctionReason }, { phi: ['correctionReason'] })
        : []),
    ],
  });
  if (abnormal) {
    await audit.record({
      actor,
      action: 'lab.abnormal_flagged',
      entity: { type: 'lab_test', id: test._id },
      diff: [{ field: 'doctorId', to: String(test.doctorId) }],
    });
    await publish('lab.abnormal', {
      clinicId: actor.clinicId,
      labTestId: String(test._id),
      visitId: String(test.visitId),
      patientId: String(test.patientId),
      doctorId: String(test.doctorId),
      flag: result.flag!,
    });
  }
  return can(actor, 'read', 'lab_results') ? toLabTestView(updated) : toLabResultReceipt(updated);
}

/** The tests of a visit in order (callers check access and audit). */
export async function labTestsOfVisit(clinicId: string, visitId: string | Types.ObjectId): Promise<LabTestRecord[]> {
  return LabTest.find({ clinicId, visitId }).sort({ orderedAt: 1, _id: 1 }).lean<LabTestRecord[]>();
}

/** A patient's most recent results (callers check access and audit). */
export async function recentResultsOfPatient(
  clinicId: string,
  patientId: string | Types.ObjectId,
  limit = 20,
): Promise<LabTestRecord[]> {
  return LabTest.find({ clinicId, patientId, status: 'resulted' })
    .sort({ resultedAt: -1 })
    .limit(limit)
    .lean<LabTestRecord[]>();
}

function ownDoctorId(actor: Actor): string {
  assertCan(actor, 'read', 'lab_results');
  if (actor.type !== 'staff' || !actor.doctorId)
    throw forbidden('Only a doctor has abnormal results to follow up', { reason: 'no_doctor_profile' });
  return actor.doctorId;
}

/**
 * Abnormal results of tests the signed-in doctor ordered: unacknowledged first (newest first),
 * then, unless excluded, those acknowledged in the last two weeks. Audited as one read.
 */
export async function listAbnormalResults(
  actor: Actor,
  options: { acknowledged?: 'include' | 'exclude' } = {},
): Promise<LabTestView[]> {
  const doctorId = ownDoctorId(actor);
  const base = { clinicId: actor.clinicId, doctorId, abnormal: true };
  const since = new Date(Date.now() - ACKNOWLEDGED_DAYS * 24 * 60 * 60_000);
  const [open, seen] = await Promise.all([
    LabTest.find({ ...base, acknowledgedAt: null })
      .sort({ resultedAt: -1 })
      .limit(200)
      .lean<LabTestRecord[]>(),
    options.acknowledged === 'exclude'
      ? []
      : LabTest.find({ ...base, acknowledgedAt: { $gte: since } })
          .sort({ resultedAt: -1 })
          .limit(100)
          .lean<LabTestRecord[]>(),
  ]);
  const records = [...open, ...seen];
  await recordClinicalRead(
    actor,
    { basis: 'ordering_doctor' },
    {
      action: 'lab.abnormal_listed',
      entity: { type: 'doctor', id: doctorId },
      details: [{ field: 'patientIds', to: [...new Set(records.map((record) => String(record.patientId)))] }],
    },
  );
  return records.map(toLabTestView);
}

/**
 * Ids and result times of the signed-in doctor's unacknowledged abnormal results, nothing more:
 * what the doctor's screen polls to learn that it must refresh. No values or patients leave
 * here, so it is not an audited read; the refresh that shows them (listAbnormalResults) is.
 */
export async function abnormalAlertStamps(actor: Actor): Promise<string[]> {
  const doctorId = ownDoctorId(actor);
  const records = await LabTest.find(
    { clinicId: actor.clinicId, doctorId, abnormal: true, acknowledgedAt: null },
    { _id: 1, resultedAt: 1 },
  )
    .sort({ resultedAt: -1 })
    .limit(200)
    .lean<Pick<LabTestRecord, '_id' | 'resultedAt'>[]>();
  return records.map((record) => `${String(record._id)}@${record.resultedAt?.getTime() ?? 0}`);
}

/** The ordering doctor acknowledges an abnormal result (idempotent); audited. */
export async function acknowledgeResult(actor: Actor, labTestId: string): Promise<LabTestView> {
  const test = await loadLabTest(actor.clinicId, labTestId);
  assertCan(actor, 'update', 'lab_results', test);
  if (!test.abnormal) throw conflict('Only abnormal results wait for acknowledgement', { reason: 'not_abnormal' });
  if (test.acknowledgedAt) return toLabTestView(test);
  const now = new Date();
  const updated = await LabTest.findOneAndUpdate(
    { _id: test._id, clinicId: test.clinicId, version: test.version, acknowledgedAt: null },
    { $set: { acknowledgedAt: now, acknowledgedBy: actor.id } },
    { new: true },
  ).lean<LabTestRecord>();
  if (!updated) return toLabTestView(await loadLabTest(actor.clinicId, labTestId));
  await audit.record({
    actor,
    action: 'lab.abnormal_acknowledged',
    entity: { type: 'lab_test', id: test._id },
    diff: [{ field: 'acknowledgedAt', to: now.toISOString() }],
  });
  return toLabTestView(updated);
}

/** Tests awaiting a result (front desk entering reports), optionally for one patient; names only, no values; audited. */
export async function listPendingTests(actor: Actor, options: { patientId?: string } = {}): Promise<PendingLabTest[]> {
  assertCan(actor, 'create', 'lab_results');
  const records = await LabTest.find({
    clinicId: actor.clinicId,
    status: 'ordered',
    ...(options.patientId ? { patientId: options.patientId } : {}),
  })
    .sort({ orderedAt: -1 })
    .limit(200)
    .lean<LabTestRecord[]>();
  await recordClinicalRead(
    actor,
    { basis: actor.type === 'system' ? 'system' : 'result_entry' },
    {
      action: 'lab.pending_listed',
      entity: { type: 'clinic', id: actor.clinicId },
      ...(options.patientId ? { patientId: options.patientId } : {}),
      details: [{ field: 'count', to: records.length }],
    },
  );
  return records.map(toPendingLabTest);
}

/** A visit's lab tests with their results, for a reader the access rules admit; audited. */
export async function listVisitLabTests(actor: Actor, visitId: string): Promise<LabTestView[]> {
  const visit = await loadVisit(actor.clinicId, visitId);
  const grant = await authorizeClinicalRead(actor, 'lab_results', visit, {
    orderedByActor: actor.doctorId === String(visit.doctorId),
  });
  const records = (await labTestsOfVisit(actor.clinicId, visit._id)).filter(
    (record) => actor.type !== 'patient' || record.status === 'resulted',
  );
  await recordClinicalRead(actor, grant, {
    action: 'lab.results_viewed',
    entity: { type: 'visit', id: visit._id },
    patientId: visit.patientId,
    details: [{ field: 'count', to: records.length }],
  });
  return records.map(toLabTestView);
}
