import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { mesFrontMonth } from '../native/calendar';
import { addDays, chooseFrontMonth, exchangeDate, type ListedContract, normaliseExpiry } from './front-month';

const CODES: Record<number, string> = { 3: 'H', 6: 'M', 9: 'U', 12: 'Z' };

function thirdFriday(year: number, month: number): string {
  const first = DateTime.utc(year, month, 1);
  const offset = (5 - first.weekday + 7) % 7; // luxon: Monday 1 ... Friday 5
  return first.plus({ days: offset + 14 }).toFormat('yyyyLLdd');
}

function quarterly(fromYear: number, years: number): ListedContract[] {
  const out: ListedContract[] = [];
  for (let y = fromYear; y < fromYear + years; y++) {
    for (const m of [3, 6, 9, 12]) {
      out.push({
        conId: y * 100 + m,
        symbol: 'MES',
        localSymbol: `MES${CODES[m]}${y % 10}`,
        exchange: 'CME',
        currency: 'USD',
        tradingClass: 'MES',
        contractMonth: `${y}${String(m).padStart(2, '0')}`,
        expiry: thirdFriday(y, m),
        multiplier: 5,
        minTick: 0.25,
      });
    }
  }
  return out;
}

describe('front month roll choice', () => {
  const listed = quarterly(2026, 3);

  it('trades the nearest expiry until the roll date, then the next', () => {
    expect(thirdFriday(2026, 12)).toBe('20261218');
    expect(chooseFrontMonth(listed, '20261209', 8)).toMatchObject({ contract: { localSymbol: 'MESZ6' }, rollDate: '20261210' });
    expect(chooseFrontMonth(listed, '20261210', 8)).toMatchObject({ contract: { localSymbol: 'MESH7' }, rollDate: '20270311' });
    expect(chooseFrontMonth(listed, '20261217', 0).contract.localSymbol).toBe('MESZ6');
    expect(chooseFrontMonth(listed, '20261218', 0).contract.localSymbol).toBe('MESH7');
  });

  it('does not depend on the order the broker lists the contracts in', () => {
    const shuffled = [...listed].reverse();
    expect(chooseFrontMonth(shuffled, '20260401', 8).contract.localSymbol).toBe('MESM6');
  });

  it('explains which contracts were listed when none can be traded', () => {
    expect(() => chooseFrontMonth(listed.slice(0, 1), '20260315', 8)).toThrow(/2026-03-15.*rolling 8 days.*MESH6 \(expires 2026-03-20\)/);
    expect(() => chooseFrontMonth([], '20260315', 8)).toThrow(/listed: none/);
    expect(() => chooseFrontMonth(listed, '20260315', -1)).toThrow(/roll days/);
  });

  it('agrees with the native CME calendar on every day of three years', () => {
    let day = '20260102';
    while (day < '20281201') {
      const noonChicago = DateTime.fromFormat(`${day} 12:00`, 'yyyyLLdd HH:mm', { zone: 'America/Chicago' }).toSeconds();
      for (const roll of [0, 8]) {
        const native = mesFrontMonth(noonChicago, roll);
        const ours = chooseFrontMonth(listed, exchangeDate(noonChicago), roll);
        expect([day, roll, ours.contract.localSymbol, ours.rollDate]).toEqual([day, roll, native.localSymbol, String(native.rollDate)]);
      }
      day = addDays(day, 1);
    }
  });

  it('uses the Chicago date: 23:30 UTC on the roll eve is still the day before in Chicago', () => {
    const t = Date.UTC(2026, 11, 10, 3, 30) / 1000; // 2026-12-09 21:30 CST
    expect(exchangeDate(t)).toBe('20261209');
    expect(chooseFrontMonth(listed, exchangeDate(t), 8).contract.localSymbol).toBe('MESZ6');
  });

  it('reads IB expiry fields in order of preference', () => {
    expect(normaliseExpiry('20261218', '20261217', '202612')).toBe('20261218');
    expect(normaliseExpiry('', '20261218 08:30 US/Central', '202612')).toBe('20261218');
    expect(normaliseExpiry(undefined, undefined, '20261218')).toBe('20261218');
    expect(normaliseExpiry(undefined, undefined, '202612')).toBe('');
  });
});
