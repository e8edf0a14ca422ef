import { describe, expect, it } from '@jest/globals';
import {
  addLocalDays,
  isValidTimeZone,
  localDateOf,
  parseLocalDate,
  parseLocalTime,
  startOfLocalDay,
  weekdayOf,
  zonedTimeToUtc,
} from '../../src/modules/scheduling/clinic-time.js';

const iso = (date: Date) => date.toISOString();

describe('localDateOf', () => {
  it('switches to the next IST day at 18:30 UTC', () => {
    expect(localDateOf(new Date('2025-01-01T18:29:59.999Z'), 'Asia/Kolkata')).toBe('2025-01-01');
    expect(localDateOf(new Date('2025-01-01T18:30:00Z'), 'Asia/Kolkata')).toBe('2025-01-02');
  });

  it('follows DST in London and the date line in Auckland', () => {
    expect(localDateOf(new Date('2025-07-01T23:00:00Z'), 'Europe/London')).toBe('2025-07-02');
    expect(localDateOf(new Date('2025-01-01T23:00:00Z'), 'Europe/London')).toBe('2025-01-01');
    expect(localDateOf(new Date('2025-01-01T11:00:00Z'), 'Pacific/Auckland')).toBe('2025-01-02');
  });

  it('rejects an invalid Date and an unknown zone', () => {
    expect(() => localDateOf(new Date(Number.NaN), 'Asia/Kolkata')).toThrow(RangeError);
    expect(() => localDateOf(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('zonedTimeToUtc', () => {
  it.each([
    ['2025-03-10', '04:00', 'Asia/Kolkata', '2025-03-09T22:30:00.000Z'],
    ['2025-03-10', '00:00', 'Asia/Kolkata', '2025-03-09T18:30:00.000Z'],
    ['2025-03-10', '24:00', 'Asia/Kolkata', '2025-03-10T18:30:00.000Z'],
    ['2025-01-01', '10:00', 'Asia/Kathmandu', '2025-01-01T04:15:00.000Z'],
    ['2025-01-15', '09:00', 'Europe/London', '2025-01-15T09:00:00.000Z'],
    ['2025-07-15', '09:00', 'Europe/London', '2025-07-15T08:00:00.000Z'],
    ['2025-01-15', '09:00', 'America/New_York', '2025-01-15T14:00:00.000Z'],
    ['2024-02-29', '12:00', 'UTC', '2024-02-29T12:00:00.000Z'],
  ])('%s %s in %s is %s', (date, time, zone, expected) => {
    expect(iso(zonedTimeToUtc(date, time, zone))).toBe(expected);
  });

  it('moves a wall time skipped by spring-forward ahead by the jump', () => {
    expect(iso(zonedTimeToUtc('2025-03-30', '01:30', 'Europe/London'))).toBe('2025-03-30T01:30:00.000Z'); // 02:30 BST
    expect(iso(zonedTimeToUtc('2025-03-09', '02:30', 'America/New_York'))).toBe('2025-03-09T07:30:00.000Z'); // 03:30 EDT
    expect(iso(zonedTimeToUtc('2025-10-05', '02:15', 'Australia/Lord_Howe'))).toBe('2025-10-04T15:45:00.000Z'); // a 30-min jump
  });

  it('picks the earlier instant for a wall time repeated by fall-back', () => {
    expect(iso(zonedTimeToUtc('2025-10-26', '01:30', 'Europe/London'))).toBe('2025-10-26T00:30:00.000Z'); // 01:30 BST
    expect(iso(zonedTimeToUtc('2025-11-02', '01:30', 'America/New_York'))).toBe('2025-11-02T05:30:00.000Z'); // 01:30 EDT
  });

  it('round-trips every quarter hour of both London DST days back to the same local date', () => {
    for (const date of ['2025-03-30', '2025-10-26']) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        expect(localDateOf(zonedTimeToUtc(date, time, 'Europe/London'), 'Europe/London')).toBe(date);
      }
    }
  });

  it('rejects malformed dates and times', () => {
    expect(() => zonedTimeToUtc('2025-02-29', '09:00', 'Asia/Kolkata')).toThrow(/Invalid local date/);
    expect(() => zonedTimeToUtc('2025-3-1', '09:00', 'Asia/Kolkata')).toThrow(/Invalid local date/);
    for (const time of ['9:00', '24:30', '12:60', '25:00', '12:00:00']) {
      expect(() => zonedTimeToUtc('2025-03-01', time, 'Asia/Kolkata')).toThrow(/Invalid local time/);
    }
  });
});

describe('startOfLocalDay', () => {
  it('is 18:30 UTC the evening before in IST', () => {
    expect(iso(startOfLocalDay(new Date('2025-03-10T12:00:00Z'), 'Asia/Kolkata'))).toBe('2025-03-09T18:30:00.000Z');
    expect(iso(startOfLocalDay(new Date('2025-03-09T20:00:00Z'), 'Asia/Kolkata'))).toBe('2025-03-09T18:30:00.000Z');
  });

  it('is the first instant that exists when DST skips midnight (Santiago, 8 Sep 2024)', () => {
    expect(iso(startOfLocalDay(new Date('2024-09-08T16:00:00Z'), 'America/Santiago'))).toBe('2024-09-08T04:00:00.000Z');
  });

  it('is local midnight on London DST days', () => {
    expect(iso(startOfLocalDay(new Date('2025-03-30T12:00:00Z'), 'Europe/London'))).toBe('2025-03-30T00:00:00.000Z');
    expect(iso(startOfLocalDay(new Date('2025-10-26T12:00:00Z'), 'Europe/London'))).toBe('2025-10-25T23:00:00.000Z');
  });
});

describe('calendar helpers', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addLocalDays('2025-01-31', 1)).toBe('2025-02-01');
    expect(addLocalDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addLocalDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addLocalDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addLocalDays('2025-03-10', 0)).toBe('2025-03-10');
    expect(() => addLocalDays('2025-03-10', 1.5)).toThrow(RangeError);
  });

  it('numbers weekdays like Date#getDay (0 = Sunday)', () => {
    expect(weekdayOf('2025-03-09')).toBe(0);
    expect(weekdayOf('2025-03-10')).toBe(1);
    expect(weekdayOf('2025-03-15')).toBe(6);
  });

  it('parses strict dates and times', () => {
    expect(parseLocalDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseLocalTime('00:00')).toBe(0);
    expect(parseLocalTime('13:45')).toBe(825);
    expect(parseLocalTime('24:00')).toBe(1440);
  });

  it('knows real zones from made-up ones', () => {
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true);
    expect(isValidTimeZone('Europe/London')).toBe(true);
    expect(isValidTimeZone('Asia/Bangalore')).toBe(false);
  });
});
