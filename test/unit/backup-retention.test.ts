import { describe, expect, it } from '@jest/globals';
import { backupIdOf } from '../../src/modules/operations/backup/backup-format.js';
import { backupsToKeep } from '../../src/modules/operations/backup/retention.js';

describe('backup retention (14 daily, 8 weekly, 12 monthly)', () => {
  it('keeps the newest of each of the last 14 days, 8 weeks and 12 months, and nothing else', () => {
    // Two backups a day for 500 days, newest on 2026-12-07.
    const ids: string[] = [];
    for (let day = 0; day < 500; day++) {
      for (const hour of [2, 14]) ids.push(backupIdOf(new Date(Date.UTC(2026, 11, 7 - day, hour, 30))));
    }
    const keep = backupsToKeep(ids, { daily: 14, weekly: 8, monthly: 12 });
    const kept = [...keep].sort().reverse();
    // Every kept backup is the later one of its day.
    expect(kept.every((id) => id.includes('T1430'))).toBe(true);
    // 14 days; weeks and months overlap the days where they can.
    expect(kept.slice(0, 14)).toEqual(
      Array.from({ length: 14 }, (_, day) => backupIdOf(new Date(Date.UTC(2026, 11, 7 - day, 14, 30)))),
    );
    const months = new Set(kept.map((id) => id.slice(0, 6)));
    expect(months.size).toBe(12);
    expect(kept.at(-1)).toBe(backupIdOf(new Date(Date.UTC(2026, 0, 31, 14, 30))));
    expect(keep.size).toBeLessThanOrEqual(14 + 8 + 12);
    expect(keep.size).toBeGreaterThanOrEqual(14 + 11);
  });
});
