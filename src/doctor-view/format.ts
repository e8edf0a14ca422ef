/** Formatting for the doctor view: times in the clinic's zone, patient one-liners, status words. */
import type { Vitals } from '../modules/clinical/vitals.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone and style: building an Intl.DateTimeFormat costs more than using it. */
function formatter(timeZone: string, style: 'time' | 'date'): Intl.DateTimeFormat {
  const key = `${style}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(
      'en-IN',
      style === 'time'
        ? { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }
        : { timeZone, day: 'numeric', month: 'short', year: 'numeric' },
    );
    formatters.set(key, found);
  }
  return found;
}

/** "10:42" in the clinic's time zone. */
export function timeOf(at: Date | string | undefined, timeZone: string): string {
  return at ? formatter(timeZone, 'time').format(new Date(at)) : '';
}

/** "12 Mar 2025" in the clinic's time zone. */
export function dateOf(at: Date | string | undefined, timeZone: string): string {
  return at ? formatter(timeZone, 'date').format(new Date(at)) : '';
}

/** "12 Mar 2025, 10:42". */
export function dateTimeOf(at: Date | string | undefined, timeZone: string): string {
  if (!at) return '';
  return `${dateOf(at, timeZone)}, ${timeOf(at, timeZone)}`;
}

/** "34 y · F" (an age known only as stated, not from a birth date, reads "~34 y"). */
export function ageSex(patient: { age: number; ageExact: boolean; sex?: string }): string {
  const age = `${patient.ageExact ? '' : '~'}${patient.age} y`;
  const sex = patient.sex ? ` · ${patient.sex.charAt(0).toUpperCase()}` : '';
  return `${age}${sex}`;
}

/** The words a doctor reads for an appointment or visit status. */
export const STATUS_WORDS: Record<string, string> = {
  checked_in: 'Waiting',
  in_consult: 'In consultation',
  completed: 'Done',
  draft: 'Draft',
  signed: 'Signed',
  ordered: 'Awaiting result',
  resulted: 'Resulted',
  active: 'Current',
  superseded: 'Superseded',
};

/** Vitals in the order a doctor reads them: field, label, unit, input step. */
export const VITAL_FIELDS: readonly { key: keyof Vitals; label: string; unit: string; step: string }[] = [
  { key: 'temperatureC', label: 'Temperature', unit: '°C', step: '0.1' },
  { key: 'pulseBpm', label: 'Pulse', unit: '/min', step: '1' },
  { key: 'bpSystolic', label: 'BP systolic', unit: 'mmHg', step: '1' },
  { key: 'bpDiastolic', label: 'BP diastolic', unit: 'mmHg', step: '1' },
  { key: 'spo2Percent', label: 'SpO₂', unit: '%', step: '1' },
  { key: 'respiratoryRate', label: 'Resp. rate', unit: '/min', step: '1' },
  { key: 'heightCm', label: 'Height', unit: 'cm', step: '0.1' },
  { key: 'weightKg', label: 'Weight', unit: 'kg', step: '0.1' },
];

/** "BP 118/76 · Pulse 104 · Temp 38.4 °C …" for history lines and the signed note. */
export function vitalsLine(vitals: Vitals | null | undefined): string {
  if (!vitals) return '';
  const parts: string[] = [];
  if (vitals.bpSystolic !== undefined) parts.push(`BP ${vitals.bpSystolic}/${vitals.bpDiastolic ?? '?'} mmHg`);
  if (vitals.pulseBpm !== undefined) parts.push(`Pulse ${vitals.pulseBpm}/min`);
  if (vitals.temperatureC !== undefined) parts.push(`Temp ${vitals.temperatureC} °C`);
  if (vitals.spo2Percent !== undefined) parts.push(`SpO₂ ${vitals.spo2Percent}%`);
  if (vitals.respiratoryRate !== undefined) parts.push(`RR ${vitals.respiratoryRate}/min`);
  if (vitals.heightCm !== undefined) parts.push(`Ht ${vitals.heightCm} cm`);
  if (vitals.weightKg !== undefined) parts.push(`Wt ${vitals.weightKg} kg`);
  if (vitals.bmi !== undefined) parts.push(`BMI ${vitals.bmi}`);
  return parts.join(' · ');
}

/** "Tab 500 mg · 1 tab · 1-0-1 · 5 days · oral" for one prescription line. */
export function medicineLine(item: {
  strength?: string;
  form?: string;
  dose: string;
  frequency: string;
  duration: string;
  route?: string;
}): string {
  return [item.form, item.strength, item.dose, item.frequency, item.duration, item.route].filter(Boolean).join(' · ');
}
