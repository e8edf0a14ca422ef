/**
 * Age from what the front desk or the bot learnt: an exact date of birth, or an age in years
 * stated on a given day ("she is 6"). Whether a patient is a minor decides who may give consent
 * (DPDP Act: a parent or guardian for anyone under 18), so with only a stated age the answer errs
 * towards "minor": the patient counts as having had no birthday since the age was stated.
 */

/** Indian clinics: a birthday turns over at midnight India time, not UTC. */
const TIME_ZONE = 'Asia/Kolkata';
/** Age of majority under the DPDP Act. */
export const AGE_OF_MAJORITY = 18;

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in India, YYYY-MM-DD. */
export function todayInIndia(now: Date = new Date()): string {
  return dayFormat.format(now);
}

/** Whole years from date `from` to date `to` (both YYYY-MM-DD). */
export function fullYearsBetween(from: string, to: string): number {
  const years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  return to.slice(5) < from.slice(5) ? years - 1 : years;
}

/** An age stated on a day, kept when the date of birth is not known. */
export interface StatedAge {
  years: number;
  /** YYYY-MM-DD. */
  on: string;
}

/** What is stored about birth: the date when known, else the stated age; birthYear always. */
export interface BirthFacts {
  dateOfBirth?: string;
  statedAge?: StatedAge;
  birthYear: number;
}

/** Birth facts from a date of birth or an age in years stated `today`. */
export function birthFacts(
  input: { dateOfBirth?: string; ageYears?: number },
  today: string = todayInIndia(),
): BirthFacts {
  if (input.dateOfBirth) return { dateOfBirth: input.dateOfBirth, birthYear: Number(input.dateOfBirth.slice(0, 4)) };
  const years = input.ageYears ?? 0;
  // Someone aged N today was born N or N + 1 years ago; the later year is the usual estimate.
  return { statedAge: { years, on: today }, birthYear: Number(today.slice(0, 4)) - years };
}

/** Age in whole years today, and whether it is exact (known date of birth) or a lower bound. */
export function ageOf(facts: BirthFacts, today: string = todayInIndia()): { years: number; exact: boolean } {
  if (facts.dateOfBirth) return { years: fullYearsBetween(facts.dateOfBirth, today), exact: true };
  if (facts.statedAge)
    return { years: facts.statedAge.years + fullYearsBetween(facts.statedAge.on, today), exact: false };
  return { years: Number(today.slice(0, 4)) - facts.birthYear - 1, exact: false };
}

/** True when the patient is (or, with only a stated age, may still be) under 18. */
export function isMinor(facts: BirthFacts, today: string = todayInIndia()): boolean {
  return ageOf(facts, today).years < AGE_OF_MAJORITY;
}
