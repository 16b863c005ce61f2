// Checks an order request before any id is taken or byte sent: whole contracts, prices on the tick grid, and a
// bracket whose stop and target sit on the right sides of the entry. Messages name the field and the number.
import type { BracketRequest, ContractRef, OrderSide, SingleOrderRequest } from './port';

const EPS = 1e-9;

function onTick(field: string, price: number, c: ContractRef): string | null {
  if (!Number.isFinite(price) || price <= 0) return `${field} must be a price above 0 points, got ${price}`;
  const steps = price / c.minTick;
  if (Math.abs(steps - Math.round(steps)) > EPS * Math.max(1, steps)) return `${field} ${price} is not a multiple of the ${c.minTick} point tick of ${c.localSymbol}`;
  return null;
}

function common(orderRef: string, side: OrderSide, qty: number): string[] {
  const errs: string[] = [];
  if (typeof orderRef !== 'string' || orderRef.trim().length === 0) errs.push('orderRef must not be empty');
  else if (orderRef.length > 100) errs.push(`orderRef must be at most 100 characters, got ${orderRef.length}`);
  if (side !== 'BUY' && side !== 'SELL') errs.push(`side must be BUY or SELL, got ${String(side)}`);
  if (!Number.isInteger(qty) || qty <= 0) errs.push(`quantity must be a whole number of contracts above 0, got ${qty}`);
  return errs;
}

export function validateBracket(r: BracketRequest): string[] {
  const errs = common(r.orderRef, r.side, r.qty);
  const entryPrice = r.entry.type === 'LMT' ? r.entry.limitPrice : null;
  for (const e of [entryPrice === null ? null : onTick('entry limit price', entryPrice, r.contract), onTick('stop price', r.stopPrice, r.contract), onTick('target price', r.targetPrice, r.contract)]) {
    if (e !== null) errs.push(e);
  }
  if (errs.length > 0) return errs;
  const [low, high] = r.side === 'BUY' ? [r.stopPrice, r.targetPrice] : [r.targetPrice, r.stopPrice];
  const what = r.side === 'BUY' ? 'a BUY bracket needs stop < entry < target' : 'a SELL bracket needs target < entry < stop';
  if (!(low < high)) errs.push(`${what}; got stop ${r.stopPrice}, target ${r.targetPrice}`);
  else if (entryPrice !== null && !(low < entryPrice && entryPrice < high)) errs.push(`${what}; got stop ${r.stopPrice}, entry ${entryPrice}, target ${r.targetPrice}`);
  return errs;
}

export function validateSingle(r: SingleOrderRequest): string[] {
  const errs = common(r.orderRef, r.side, r.qty);
  const o = r.order;
  const e = o.type === 'LMT' ? onTick('limit price', o.limitPrice, r.contract) : o.type === 'STP' ? onTick('stop price', o.stopPrice, r.contract) : null;
  if (e !== null) errs.push(e);
  if (o.type !== 'MKT' && o.type !== 'LMT' && o.type !== 'STP') errs.push(`order type must be MKT, LMT or STP`);
  return errs;
}
