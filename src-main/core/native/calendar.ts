// Typed wrapper over the native CME calendar (the same code the backtests use).
import type { FrontMonthInfo } from '@qs/native';
import { native } from './index';

export type { FrontMonthInfo };

export const cmeIsOpen = (epochSecs: number): boolean => native.cmeIsOpen(epochSecs);
export const cmeNextClose = (epochSecs: number): number | null => native.cmeNextClose(epochSecs) ?? null;
export const cmeNextOpen = (epochSecs: number): number | null => native.cmeNextOpen(epochSecs) ?? null;

/** Minutes until the next close (daily break, weekend, holiday, early close); null when closed. */
export function minutesUntilClose(epochSecs: number): number | null {
  const c = cmeNextClose(epochSecs);
  return c === null ? null : (c - epochSecs) / 60;
}

export function mesFrontMonth(epochSecs: number, rollDays: number): FrontMonthInfo {
  if (!Number.isInteger(rollDays) || rollDays < 0 || rollDays > 30) throw new Error(`roll days must be a whole number from 0 to 30, got ${rollDays}`);
  return native.mesFrontMonth(epochSecs, rollDays);
}
