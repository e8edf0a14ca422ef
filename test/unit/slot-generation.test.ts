import { describe, expect, it } from '@jest/globals';
import {
  availabilityProblems,
  generateSlots,
  localDateOf,
  zonedTimeToUtc,
} from '../../src/modules/scheduling/slot-generation.js';
import type { SlotGenerationInput, WeeklyRange } from '../../src/modules/scheduling/slot-generation.js';

const MON = 1;
const TUE = 2;
const WED = 3;
const THU = 4;
const FRI = 5;
const SUN = 0;
const weekdays = (start: string, end: string, days = [MON, TUE, WED, THU, FRI]): WeeklyRange[] =>
  days.map((weekday) => ({ weekday, start, end }));

/** Slots as "startISO/endISO" strings, which make failures readable. */
const spans = (input: SlotGenerationInput) =>
  generateSlots(input).map((slot) => `${slot.startAt.toISOString()}/${slot.endAt.toISOString()}`);
/** Slot starts as clinic-local "YYYY-MM-DD HH:mm". */
const localStarts = (input: SlotGenerationInput, tz = 'Asia/Kolkata') =>
  generateSlots(input).map((slot) => {
    const hhmm = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(slot.startAt);
    return `${localDateOf(slot.startAt, tz)} ${hhmm}`;
  });

describe('generateSlots', () => {
  it('turns a morning in IST into UTC slots (Asia/Kolkata by default)', () => {
    expect(
      spans({
        slotMinutes: 30,
        availability: [{ weekday: MON, start: '09:00', end: '10:30' }],
        from: '2025-03-10',
        days: 1,
      }),
    ).toEqual([
      '2025-03-10T03:30:00.000Z/2025-03-10T04:00:00.000Z',
      '2025-03-10T04:00:00.000Z/2025-03-10T04:30:00.000Z',
      '2025-03-10T04:30:00.000Z/2025-03-10T05:00:00.000Z',
    ]);
  });

  it('handles a range that crosses midnight UTC (04:00–07:00 IST = 22:30–01:30 UTC)', () => {
    expect(
      spans({
        slotMinutes: 40,
        availability: [{ weekday: MON, start: '04:00', end: '07:00' }],
        from: '2025-03-10',
        days: 1,
      }),
    ).toEqual([
      '2025-03-09T22:30:00.000Z/2025-03-09T23:10:00.000Z',
      '2025-03-09T23:10:00.000Z/2025-03-09T23:50:00.000Z',
      '2025-03-09T23:50:00.000Z/2025-03-10T00:30:00.000Z',
      '2025-03-10T00:30:00.000Z/2025-03-10T01:10:00.000Z',
    ]);
  });

  it('never lets a slot straddle the end of its range when the length does not divide it', () => {
    expect(
      localStarts({
        slotMinutes: 25,
        availability: [{ weekday: MON, start: '09:00', end: '10:00' }],
        from: '2025-03-10',
        days: 1,
      }),
    ).toEqual(['2025-03-10 09:00', '2025-03-10 09:25']);
    expect(
      generateSlots({
        slotMinutes: 45,
        availability: [{ weekday: MON, start: '09:00', end: '09:30' }],
        from: '2025-03-10',
        days: 1,
      }),
    ).toEqual([]);
  });

  it('supports several ranges per weekday, given in any order, and keeps them apart', () => {
    const availability: WeeklyRange[] = [
      { weekday: MON, start: '17:00', end: '18:00' },
      { weekday: MON, start: '09:00', end: '10:00' },
      { weekday: TUE, start: '12:00', end: '12:30' },
      { weekday: MON, start: '10:00', end: '10:45' },
    ];
    expect(localStarts({ slotMinutes: 30, availability, from: '2025-03-10', days: 2 })).toEqual([
      '2025-03-10 09:00',
      '2025-03-10 09:30',
      '2025-03-10 10:00',
      '2025-03-10 17:00',
      '2025-03-10 17:30',
      '2025-03-11 12:00',
    ]);
  });

  it('skips a clinic holiday entirely and nothing else', () => {
    const input: SlotGenerationInput = {
      slotMinutes: 60,
      availability: weekdays('09:00', '11:00'),
      from: '2025-03-10',
      days: 5,
    };
    const withHoliday = localStarts({ ...input, holidays: ['2025-03-14'] }); // Holi
    expect(localStarts(input)).toHaveLength(10);
    expect(withHoliday).toHaveLength(8);
    expect(withHoliday.some((start) => start.startsWith('2025-03-14'))).toBe(false);
    expect(withHoliday.filter((start) => start.startsWith('2025-03-13'))).toEqual([
      '2025-03-13 09:00',
      '2025-03-13 10:00',
    ]);
  });

  it('blocks every slot a leave spanning several days overlaps, and only those', () => {
    const availability = [...weekdays('09:00', '13:00'), ...weekdays('14:00', '17:00')];
    const leave = {
      startAt: zonedTimeToUtc('2025-03-12', '14:00', 'Asia/Kolkata'), // Wednesday afternoon
      endAt: zonedTimeToUtc('2025-03-14', '11:00', 'Asia/Kolkata'), // until Friday 11:00
    };
    const starts = localStarts({ slotMinutes: 60, availability, leaves: [leave], from: '2025-03-12', days: 3 });
    expect(starts).toEqual([
      '2025-03-12 09:00',
      '2025-03-12 10:00',
      '2025-03-12 11:00',
      '2025-03-12 12:00', // ends 13:00, the leave starts at 14:00
      '2025-03-14 11:00', // starts as the leave ends: half-open periods touch but do not overlap
      '2025-03-14 12:00',
      '2025-03-14 14:00',
      '2025-03-14 15:00',
      '2025-03-14 16:00',
    ]);
  });

  it('drops a slot a short blocked period only partly overlaps', () => {
    const blocked = { startAt: new Date('2025-03-10T04:15:00Z'), endAt: new Date('2025-03-10T04:20:00Z') }; // 09:45–09:50 IST
    expect(
      localStarts({
        slotMinutes: 30,
        availability: [{ weekday: MON, start: '09:00', end: '10:30' }],
        leaves: [blocked],
        from: '2025-03-10',
        days: 1,
      }),
    ).toEqual(['2025-03-10 09:00', '2025-03-10 10:00']);
  });

  it('uses the right offset on each side of a London DST change', () => {
    const availability = [
      { weekday: 6, start: '09:00', end: '10:00' },
      { weekday: SUN, start: '09:00', end: '10:00' },
    ];
    expect(spans({ timezone: 'Europe/London', slotMinutes: 60, availability, from: '2025-03-29', days: 2 })).toEqual([
      '2025-03-29T09:00:00.000Z/2025-03-29T10:00:00.000Z', // Saturday, GMT
      '2025-03-30T08:00:00.000Z/2025-03-30T09:00:00.000Z', // Sunday, BST
    ]);
  });

  it('counts real hours across the DST jump itself (00:00–04:00 is 3 h in spring, 5 h in autumn)', () => {
    const night = [{ weekday: SUN, start: '00:00', end: '04:00' }];
    expect(
      spans({ timezone: 'Europe/London', slotMinutes: 60, availability: night, from: '2025-03-30', days: 1 }),
    ).toEqual([
      '2025-03-30T00:00:00.000Z/2025-03-30T01:00:00.000Z',
      '2025-03-30T01:00:00.000Z/2025-03-30T02:00:00.000Z',
      '2025-03-30T02:00:00.000Z/2025-03-30T03:00:00.000Z',
    ]);
    expect(
      generateSlots({ timezone: 'Europe/London', slotMinutes: 60, availability: night, from: '2025-10-26', days: 1 }),
    ).toHaveLength(5);
  });

  it('closes a range at 24:00', () => {
    expect(
      localStarts({
        slotMinutes: 60,
        availability: [{ weekday: MON, start: '22:00', end: '24:00' }],
        from: '2025-03-10',
        days: 1,
      }),
    ).toEqual(['2025-03-10 22:00', '2025-03-10 23:00']);
  });

  it('reads an instant as the clinic-local day containing it', () => {
    const input = { slotMinutes: 60, availability: [{ weekday: TUE, start: '09:00', end: '10:00' }], days: 1 };
    // 20:00 UTC on Monday is already Tuesday 01:30 in IST.
    expect(localStarts({ ...input, from: new Date('2025-03-10T20:00:00Z') })).toEqual(['2025-03-11 09:00']);
  });

  it('is idempotent: the same input gives identical output and is left untouched', () => {
    const input: SlotGenerationInput = Object.freeze({
      timezone: 'Asia/Kolkata',
      slotMinutes: 15,
      availability: Object.freeze([...weekdays('09:00', '13:00'), { weekday: THU, start: '16:00', end: '19:00' }]),
      leaves: Object.freeze([{ startAt: new Date('2025-03-11T05:00:00Z'), endAt: new Date('2025-03-11T07:00:00Z') }]),
      holidays: Object.freeze(['2025-03-14']),
      from: '2025-03-10',
      days: 14,
    });
    const before = JSON.stringify(input);
    const first = generateSlots(input);
    const second = generateSlots(input);
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(input)).toBe(before);
    // Two halves of the window generate exactly the whole window.
    const halves = [
      ...generateSlots({ ...input, days: 7 }),
      ...generateSlots({ ...input, from: '2025-03-17', days: 7 }),
    ];
    expect(halves).toEqual(first);
  });

  it('returns slots sorted and free of overlaps', () => {
    const slots = generateSlots({
      slotMinutes: 20,
      availability: [...weekdays('09:00', '13:00'), ...weekdays('04:00', '07:00'), ...weekdays('18:00', '21:00')],
      from: '2025-03-10',
      days: 7,
    });
    for (let i = 1; i < slots.length; i += 1)
      expect(slots[i]!.startAt.getTime()).toBeGreaterThanOrEqual(slots[i - 1]!.endAt.getTime());
  });

  it('makes nothing for zero days or a weekday without ranges', () => {
    expect(
      generateSlots({ slotMinutes: 30, availability: weekdays('09:00', '10:00'), from: '2025-03-10', days: 0 }),
    ).toEqual([]);
    expect(
      generateSlots({ slotMinutes: 30, availability: weekdays('09:00', '10:00', [SUN]), from: '2025-03-10', days: 6 }),
    ).toEqual([]);
  });

  it.each([
    ['an unknown timezone', { timezone: 'Asia/Bangalore' }, /Unknown timezone/],
    ['a zero slot length', { slotMinutes: 0 }, /slotMinutes/],
    ['a fractional slot length', { slotMinutes: 7.5 }, /slotMinutes/],
    ['too many days', { days: 367 }, /days/],
    ['a negative day count', { days: -1 }, /days/],
    ['a bad from date', { from: '2025-02-30' }, /Invalid local date/],
    ['a bad holiday', { holidays: ['14/03/2025'] }, /Invalid local date/],
    [
      'a leave ending before it starts',
      { leaves: [{ startAt: new Date('2025-03-11T00:00:00Z'), endAt: new Date('2025-03-10T00:00:00Z') }] },
      /leave/,
    ],
    [
      'a leave with an invalid date',
      { leaves: [{ startAt: new Date(Number.NaN), endAt: new Date('2025-03-10T00:00:00Z') }] },
      /leave/,
    ],
    [
      'overlapping ranges',
      {
        availability: [
          { weekday: MON, start: '09:00', end: '12:00' },
          { weekday: MON, start: '11:00', end: '13:00' },
        ],
      },
      /overlaps/,
    ],
  ])('throws RangeError for %s', (_label, overrides, message) => {
    const input = {
      slotMinutes: 30,
      availability: weekdays('09:00', '10:00'),
      from: '2025-03-10',
      days: 7,
      ...overrides,
    } as SlotGenerationInput;
    expect(() => generateSlots(input)).toThrow(RangeError);
    expect(() => generateSlots(input)).toThrow(message);
  });
});

describe('availabilityProblems', () => {
  it('accepts ranges that touch and the same hours on different days', () => {
    expect(availabilityProblems([...weekdays('09:00', '13:00'), ...weekdays('13:00', '17:00')])).toEqual([]);
  });

  it('explains every problem in a sentence', () => {
    expect(
      availabilityProblems([
        { weekday: 7, start: '09:00', end: '10:00' },
        { weekday: MON, start: '9am', end: '10:00' },
        { weekday: TUE, start: '22:00', end: '02:00' },
        { weekday: WED, start: '10:00', end: '10:00' },
        { weekday: FRI, start: '09:00', end: '12:00' },
        { weekday: FRI, start: '11:30', end: '12:30' },
      ]),
    ).toEqual([
      'weekday 7 09:00–10:00: weekday must be 0 (Sunday) to 6 (Saturday)',
      'weekday 1 9am–10:00: Invalid local time "9am" (expected HH:mm)',
      'weekday 2 22:00–02:00: end must be after start on the same day',
      'weekday 3 10:00–10:00: end must be after start on the same day',
      'weekday 5 11:30–12:30: overlaps weekday 5 09:00–12:00',
    ]);
  });
});
