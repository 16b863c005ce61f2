// One wire field. Encoders build arrays of these; framing turns each into text the way TWS does.

export type Field = string | number | boolean | null | undefined;

/** IB's "no value" for doubles (Java Double.MAX_VALUE); clients read it back as unset. */
export const UNSET_DOUBLE = Number.MAX_VALUE;
/** IB's "no value" for integers (Java Integer.MAX_VALUE). */
export const UNSET_INT = 2147483647;

/** Text of one field: booleans as 1/0, missing values empty, prices without binary noise (5000.25, not 5000.2500001). */
export function fieldText(f: Field): string {
  if (f === undefined || f === null) return '';
  if (typeof f === 'boolean') return f ? '1' : '0';
  if (typeof f === 'string') return f;
  if (Number.isNaN(f)) return '';
  if (f === UNSET_DOUBLE) return '1.7976931348623157E308';
  if (Number.isInteger(f)) return String(f);
  return String(Math.round(f * 1e8) / 1e8);
}
