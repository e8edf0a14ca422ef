/** Pure clinical rules: lab flagging, vitals ranges and BMI, and what a note's signature hash covers. */
import { describe, expect, it } from '@jest/globals';
import { Types } from 'mongoose';
import { flagResult, isAbnormal } from '../../src/modules/clinical/lab-flags.js';
import { addendumHash, checkIntegrity, noteHash } from '../../src/modules/clinical/note-hash.js';
import type { VisitRecord } from '../../src/modules/clinical/visit.model.js';
import { bmiOf, normaliseVitals, vitalsSchema } from '../../src/modules/clinical/vitals.js';

describe('lab flags', () => {
  it.each([
    [{ value: '9.1', referenceLow: 12, referenceHigh: 15.5 }, 'low'],
    [{ value: '16', referenceLow: 12, referenceHigh: 15.5 }, 'high'],
    [{ value: '12', referenceLow: 12, referenceHigh: 15.5 }, 'normal'],
    [{ value: '< 0.5', referenceHigh: 1 }, 'normal'],
    [{ value: '>200', referenceHigh: 150 }, 'high'],
    [{ value: 'Non-Reactive', referenceText: 'non-reactive' }, 'normal'],
    [{ value: 'Reactive', referenceText: 'Non-reactive' }, 'abnormal'],
    [{ value: 'haemolysed', referenceLow: 1, referenceHigh: 2 }, undefined],
    [{ value: 'Positive', abnormal: true }, 'abnormal'],
    [{ value: '13', referenceLow: 12, referenceHigh: 15.5, abnormal: true }, 'abnormal'],
    [{ value: '9', referenceLow: 12, referenceHigh: 15.5, abnormal: false }, 'low'],
    [{ value: 'see report' }, undefined],
  ])('%j → %s', (input, flag) => {
    expect(flagResult(input)).toBe(flag);
    expect(isAbnormal(flagResult(input))).toBe(flag === 'low' || flag === 'high' || flag === 'abnormal');
  });
});

describe('vitals', () => {
  it('computes BMI to one decimal only when height and weight are both known', () => {
    expect(bmiOf(170, 72.5)).toBe(25.1);
    expect(bmiOf(undefined, 72.5)).toBeUndefined();
    expect(normaliseVitals({ weightKg: 60, heightCm: 150, pulseBpm: 70 })).toEqual({
      heightCm: 150,
      weightKg: 60,
      pulseBpm: 70,
      bmi: 26.7,
    });
  });

  it('accepts plausible values for children and adults and explains implausible ones', () => {
    expect(
      vitalsSchema.safeParse({
        heightCm: 52,
        weightKg: 3.4,
        temperatureC: 37.2,
        pulseBpm: 140,
        respiratoryRate: 45,
        spo2Percent: 97,
      }).success,
    ).toBe(true);
    const result = vitalsSchema.safeParse({ temperatureC: 370, pulseBpm: 72.5 });
    expect(result.error!.issues.map((issue) => issue.message)).toEqual([
      'temperature must be between 30 and 45 °C',
      'pulse must be a whole number',
    ]);
    expect(vitalsSchema.safeParse({ bpSystolic: 120 }).error!.issues.map((issue) => issue.message)).toEqual([
      'blood pressure needs both systolic and diastolic values',
    ]);
  });
});

describe('note hash', () => {
  const signer = { staffId: 's1', doctorId: 'd1', name: 'Dr A', registrationNumber: 'KMC-1' };
  const signedAt = new Date('2026-11-25T10:00:00.000Z');
  const visit = {
    _id: new Types.ObjectId(),
    clinicId: new Types.ObjectId(),
    appointmentId: new Types.ObjectId(),
    patientId: new Types.ObjectId(),
    doctorId: new Types.ObjectId(),
    vitals: { pulseBpm: 80 },
    chiefComplaint: 'Cough',
    soap: { subjective: 'Dry cough', assessment: 'URTI' },
    diagnoses: [{ text: 'URTI', icd10: 'J06.9' }],
    followUp: null,
  };

  it('is stable across key order and absent-versus-null, and changes with any covered field', () => {
    const hash = noteHash(visit, signedAt, signer);
    expect(
      noteHash({ ...visit, soap: { assessment: 'URTI', subjective: 'Dry cough', plan: null } }, signedAt, signer),
    ).toBe(hash);
    expect(noteHash({ ...visit, chiefComplaint: 'Cough.' }, signedAt, signer)).not.toBe(hash);
    expect(noteHash({ ...visit, patientId: new Types.ObjectId() }, signedAt, signer)).not.toBe(hash);
    expect(noteHash(visit, new Date(signedAt.getTime() + 1), signer)).not.toBe(hash);
    expect(noteHash(visit, signedAt, { ...signer, registrationNumber: 'KMC-2' })).not.toBe(hash);
    expect(noteHash({ ...visit, vitals: { pulseBpm: 81 } }, signedAt, signer)).not.toBe(hash);
  });

  it('checks a signed record with its addenda chain', () => {
    const contentHash = noteHash(visit, signedAt, signer);
    const first = {
      seq: 1,
      at: new Date('2026-11-25T11:00:00.000Z'),
      author: signer,
      text: 'X-ray clear',
      reason: 'late report',
      prevHash: contentHash,
    };
    const addendum = { ...first, hash: addendumHash(String(visit._id), first) };
    const record = {
      ...visit,
      status: 'signed',
      signedAt,
      signedBy: signer,
      contentHash,
      addenda: [addendum],
      addendaCount: 1,
    } as unknown as VisitRecord;
    expect(checkIntegrity(record).ok).toBe(true);
    expect(checkIntegrity({ ...record, addenda: [{ ...addendum, text: 'X-ray shows mass' }] }).addenda).toEqual([
      { seq: 1, match: false, chained: true },
    ]);
    expect(checkIntegrity({ ...record, addendaCount: 2 }).ok).toBe(false);
    expect(checkIntegrity({ ...record, status: 'draft' } as VisitRecord)).toMatchObject({
      ok: false,
      problem: 'not_signed',
    });
  });
});
