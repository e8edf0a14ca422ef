/**
 * The sandbox demo clinic: a Bengaluru clinic profile, three doctors in two specialities with
 * mornings and evenings (Sunday off), and a front-desk account. Names, registration numbers,
 * the GSTIN and the phone number are made up.
 */
import type { WeeklyRange } from '../scheduling/slot-generation.js';

/** Monday … Saturday. */
const MON_TO_SAT = [1, 2, 3, 4, 5, 6];

function ranges(weekdays: readonly number[], start: string, end: string): WeeklyRange[] {
  return weekdays.map((weekday) => ({ weekday, start, end }));
}

/** Profile of the demo clinic (Karnataka: GST state code 29; the GSTIN has a valid check digit). */
export const DEMO_CLINIC_PROFILE = {
  name: 'CINIC Demo Clinic, Bengaluru',
  gstin: '29AAHCC1234E1ZZ',
  stateCode: '29',
  phone: '+91 80 4123 4567',
  address: {
    line1: '2nd Floor, 14 Residency Road',
    line2: 'Ashok Nagar',
    city: 'Bengaluru',
    state: 'Karnataka',
    pincode: '560025',
  },
};

/** The demo clinic asks for ₹200 online to confirm a booking (the rest of the fee at the desk). */
export const DEMO_PREPAYMENT = { prepaymentRequired: true, prepaymentPaise: 20_000, holdMinutes: 15 };

/** A demo doctor: the staff account that signs in as them and their profile. */
export interface DemoDoctor {
  email: string;
  name: string;
  speciality: string;
  qualifications: string;
  registrationNumber: string;
  consultationFeePaise: number;
  weeklyAvailability: WeeklyRange[];
}

/** Three doctors, two specialities. */
export const DEMO_DOCTORS: readonly DemoDoctor[] = [
  {
    email: 'ananya.rao@demo.cinic.local',
    name: 'Dr. Ananya Rao',
    speciality: 'General Medicine',
    qualifications: 'MBBS, MD (General Medicine)',
    registrationNumber: 'KMC-84213',
    consultationFeePaise: 50_000,
    weeklyAvailability: [...ranges(MON_TO_SAT, '09:00', '13:00'), ...ranges([1, 3, 5], '17:00', '20:00')],
  },
  {
    email: 'vikram.shetty@demo.cinic.local',
    name: 'Dr. Vikram Shetty',
    speciality: 'General Medicine',
    qualifications: 'MBBS, DNB (Family Medicine)',
    registrationNumber: 'KMC-91577',
    consultationFeePaise: 40_000,
    weeklyAvailability: [...ranges([2, 4, 6], '10:00', '13:00'), ...ranges(MON_TO_SAT, '17:00', '21:00')],
  },
  {
    email: 'priya.menon@demo.cinic.local',
    name: 'Dr. Priya Menon',
    speciality: 'Paediatrics',
    qualifications: 'MBBS, MD (Paediatrics)',
    registrationNumber: 'KMC-77302',
    consultationFeePaise: 60_000,
    weeklyAvailability: [...ranges(MON_TO_SAT, '10:00', '13:00'), ...ranges([1, 2, 3, 4, 5], '16:00', '19:00')],
  },
];

/** The front-desk account. */
export const DEMO_FRONTDESK = { email: 'frontdesk@demo.cinic.local', name: 'Kavya Nair' };
