/**
 * Patients and family profiles, through the patients module's services: search by phone (the
 * blind index), patient code or name prefix in one box; names and phones are decrypted by the
 * service and masked here by role; clinical flags never reach the panel (front desk, accounts,
 * pharmacy and admin have no clinical grant); every opened record is an audited PHI read.
 */
import type { ParamsType, ResourceOptions } from 'adminjs';
import { getPatient, registerPatient, searchPatients, updatePatient } from '../../src/modules/patients/index.js';
import type { PatientDetail, PatientSummary } from '../../src/modules/patients/index.js';
import type { Actor } from '../../src/platform/actor.js';
import { audit } from '../../src/platform/audit/audit.service.js';
import { policyActions } from '../access.js';
import { ServiceResource } from '../service-resource.js';
import { NAV } from './navigation.js';

/** Roles that see a patient's full phone number and demographics (the rest see the last digits). */
const DEMOGRAPHIC_ROLES = new Set(['frontdesk', 'admin', 'doctor']);

function maskPhone(phone: string): string {
  return phone.length > 4 ? `${'•'.repeat(phone.length - 4)}${phone.slice(-4)}` : '••••';
}

function seesDemographics(actor: Actor): boolean {
  return actor.roles.some((role) => DEMOGRAPHIC_ROLES.has(role));
}

function summaryParams(p: PatientSummary): ParamsType {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    age: `${p.age}${p.ageExact ? '' : '+'}`,
    sex: p.sex ?? '',
    relationToContact: p.relationToContact,
    active: p.active,
  };
}

function detailParams(actor: Actor, p: PatientDetail): ParamsType {
  const full = seesDemographics(actor);
  return {
    ...summaryParams(p),
    phone: full ? p.phone : maskPhone(p.phone),
    dateOfBirth: full ? (p.dateOfBirth ?? '') : '',
    'emergencyContact.name': full ? (p.emergencyContact?.name ?? '') : '',
    'emergencyContact.phone': full ? (p.emergencyContact?.phone ?? '') : '',
    'emergencyContact.relation': full ? (p.emergencyContact?.relation ?? '') : '',
    version: p.version,
    source: p.source,
    createdAt: p.createdAt,
  };
}

/** The search box: a phone number, a patient code or the start of a name. */
export function searchInput(q: string | undefined): { phone?: string; code?: string; name?: string } {
  const text = (q ?? '').trim();
  if (!text) return {};
  const digits = text.replace(/[\s()-]/g, '');
  if (/^\+?\d{8,15}$/.test(digits)) return { phone: digits.startsWith('+') ? digits : `+91${digits.slice(-10)}` };
  if (/^[A-Za-z]{2}-?[A-Za-z0-9]{4,8}$/.test(text) && /\d/.test(text)) return { code: text };
  return { name: text };
}

async function readPatient(actor: Actor, id: string): Promise<PatientDetail> {
  const patient = await getPatient(actor, id);
  // Opening a record shows PHI (name, phone, birth date): an audited read, as in the API.
  await audit.record({ actor, action: 'patient.read', entity: { type: 'patient', id }, diff: [] });
  return patient;
}

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** What the panel may change: the same fields as PATCH /patients/:id, never code, phone or clinical flags. */
function patchOf(params: ParamsType): Parameters<typeof updatePatient>[2] {
  const emergency = {
    name: text(params['emergencyContact.name']),
    phone: text(params['emergencyContact.phone']),
    relation: text(params['emergencyContact.relation']),
  };
  return {
    version: Number(params.version),
    ...(text(params.name) ? { name: text(params.name) } : {}),
    ...(text(params.sex) ? { sex: text(params.sex) as 'female' | 'male' | 'other' } : {}),
    ...(text(params.dateOfBirth) ? { dateOfBirth: text(params.dateOfBirth) } : {}),
    ...(emergency.name && emergency.phone && emergency.relation ? { emergencyContact: emergency as never } : {}),
  };
}

/** The patients resource. */
export function patientsResource(): { resource: ServiceResource; options: ResourceOptions } {
  const resource = new ServiceResource({
    id: 'patients',
    properties: [
      { path: 'id', isId: true },
      { path: 'q' },
      { path: 'code' },
      { path: 'name' },
      { path: 'phone' },
      { path: 'age' },
      { path: 'sex' },
      { path: 'dateOfBirth' },
      { path: 'relationToContact' },
      { path: 'emergencyContact.name' },
      { path: 'emergencyContact.phone' },
      { path: 'emergencyContact.relation' },
      { path: 'source' },
      { path: 'active', type: 'boolean' },
      { path: 'version', type: 'number' },
      { path: 'createdAt', type: 'datetime' },
    ],
    async list(actor, filters, page) {
      const found = await searchPatients(actor, { ...searchInput(filters.q), limit: Math.min(page.limit, 50) });
      return found.patients.map(summaryParams);
    },
    async get(actor, id) {
      return detailParams(actor, await readPatient(actor, id));
    },
    async update(actor, id, params) {
      return detailParams(actor, await updatePatient(actor, id, patchOf(params)));
    },
    async create(actor, params) {
      const registered = await registerPatient(actor, {
        phone: String(params.phone ?? ''),
        name: String(params.name ?? ''),
        relationToContact: (text(params.relationToContact) ?? 'self') as 'self',
        ...(text(params.dateOfBirth) ? { dateOfBirth: text(params.dateOfBirth) } : { ageYears: Number(params.age) }),
        ...(text(params.sex) ? { sex: text(params.sex) as 'female' } : {}),
        source: 'frontdesk',
      });
      return detailParams(actor, registered.patient);
    },
  });
  const hiddenInForms = { edit: false, new: false };
  return {
    resource,
    options: {
      navigation: NAV.patients,
      titleProperty: 'name',
      listProperties: ['code', 'name', 'age', 'sex', 'relationToContact'],
      showProperties: [
        'code',
        'name',
        'phone',
        'age',
        'dateOfBirth',
        'sex',
        'relationToContact',
        'emergencyContact.name',
        'emergencyContact.phone',
        'emergencyContact.relation',
        'source',
        'createdAt',
      ],
      editProperties: [
        'name',
        'dateOfBirth',
        'sex',
        'emergencyContact.name',
        'emergencyContact.phone',
        'emergencyContact.relation',
        'version',
      ],
      filterProperties: ['q'],
      properties: {
        q: { isVisible: { list: false, show: false, edit: false, filter: true } },
        version: { isVisible: { list: false, show: false, edit: true, filter: false }, isDisabled: true },
        sex: {
          availableValues: ['female', 'male', 'other'].map((value) => ({ value, label: value })),
        },
        phone: { isVisible: { list: false, show: true, edit: false, filter: false } },
        code: { isVisible: { list: true, show: true, ...hiddenInForms, filter: false } },
      },
      // New patients are registered as part of a booking or walk-in (the appointment actions).
      actions: policyActions('patients', { edit: 'update' }),
    },
  };
}
