// Scenario 7: the order state machine under random event orders (acks, partial fills, cancels, late fills,
// duplicates, out-of-order) keeps filled <= quantity, position == sum of distinct fills, and terminal states fixed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOrderEvent, isTerminal, newOrder, type BrokerStatus, type OrderEvent, type TrackedOrder } from './order-state';

const statuses: BrokerStatus[] = ['ApiPending', 'PendingSubmit', 'PreSubmitted', 'Submitted', 'PendingCancel', 'ApiCancelled', 'Cancelled', 'Filled', 'Inactive'];

/** A broker's executions for one order: fixed ids, quantities and prices; events pick from them with repeats. */
const scenario = fc
  .record({
    qty: fc.integer({ min: 1, max: 5 }),
    execs: fc.array(fc.record({ qty: fc.integer({ min: 1, max: 3 }), price: fc.integer({ min: 19_000, max: 21_000 }).map((t) => t * 0.25) }), { maxLength: 6 }),
  })
  .chain(({ qty, execs }) => {
    const pool = execs.map((e, i) => ({ execId: `0001.${i}`, ...e }));
    const ev: fc.Arbitrary<OrderEvent> = fc.oneof(
      fc.constant<OrderEvent>({ kind: 'sent', brokerOrderId: 7 }),
      fc.record({ status: fc.constantFrom(...statuses), filled: fc.integer({ min: 0, max: qty + 1 }) }).map((s): OrderEvent => ({ kind: 'status', ...s, permId: 9001 })),
      fc.constant<OrderEvent>({ kind: 'rejected', reason: '201 Order rejected' }),
      fc.constant<OrderEvent>({ kind: 'notFound', reason: 'not at the broker' }),
      ...(pool.length > 0 ? [fc.constantFrom(...pool).map((fill): OrderEvent => ({ kind: 'fill', fill }))] : []),
    );
    return fc.record({ qty: fc.constant(qty), events: fc.array(ev, { maxLength: 40 }) });
  });

describe('order state machine (scenario 7)', () => {
  it('filled <= qty, position == sum of distinct fills, terminal states never change', () => {
    fc.assert(
      fc.property(scenario, ({ qty, events }) => {
        let o: TrackedOrder = newOrder('i1:entry', qty);
        let position = 0;
        const counted = new Set<string>();
        let terminal: string | null = null;
        for (const ev of events) {
          const t = applyOrderEvent(o, ev);
          o = t.order;
          if (t.newFill) {
            expect(counted.has(t.newFill.execId)).toBe(false); // each execution feeds the core once
            counted.add(t.newFill.execId);
            position += t.newFill.qty;
          }
          expect(o.filled).toBeLessThanOrEqual(qty);
          expect(o.filled).toBe(position);
          expect(new Set(o.execIds).size).toBe(o.execIds.length);
          if (terminal !== null) expect(o.state).toBe(terminal);
          if (isTerminal(o.state)) terminal = o.state;
          if (o.state === 'Filled') expect(Math.max(o.filled, o.brokerFilled)).toBe(qty);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every fill that fits when the broker is consistent, whatever the order of messages', () => {
    fc.assert(
      fc.property(scenario, ({ qty, events }) => {
        let o = newOrder('r', qty);
        for (const ev of events) o = applyOrderEvent(o, ev).order;
        const distinct = new Map<string, number>();
        for (const ev of events) if (ev.kind === 'fill') distinct.set(ev.fill.execId, ev.fill.qty);
        const total = [...distinct.values()].reduce((a, b) => a + b, 0);
        if (total <= qty) expect(o.filled).toBe(total);
      }),
      { numRuns: 1000 },
    );
  });

  it('walks the usual path and ignores stale or duplicate messages', () => {
    let o = newOrder('i2:entry', 2);
    o = applyOrderEvent(o, { kind: 'sent', brokerOrderId: 11 }).order;
    expect(o.state).toBe('PendingSubmit');
    o = applyOrderEvent(o, { kind: 'status', status: 'Submitted', filled: 0, permId: 5 }).order;
    const late = applyOrderEvent(o, { kind: 'status', status: 'PreSubmitted', filled: 0 });
    expect(late.order.state).toBe('Submitted');
    expect(late.changed).toBe(false);
    o = applyOrderEvent(o, { kind: 'fill', fill: { execId: 'e1', qty: 1, price: 5000 } }).order;
    expect(o.state).toBe('PartiallyFilled');
    const dup = applyOrderEvent(o, { kind: 'fill', fill: { execId: 'e1', qty: 1, price: 5000 } });
    expect(dup.newFill).toBeNull();
    expect(dup.changed).toBe(false);
    // The broker says Filled before the second execution arrives; the execution still counts afterwards.
    o = applyOrderEvent(o, { kind: 'status', status: 'Filled', filled: 2 }).order;
    expect(o.state).toBe('Filled');
    const t = applyOrderEvent(o, { kind: 'fill', fill: { execId: 'e2', qty: 1, price: 5001 } });
    expect(t.newFill?.execId).toBe('e2');
    expect(t.order).toMatchObject({ state: 'Filled', filled: 2, avgPrice: 5000.5 });
    expect(applyOrderEvent(t.order, { kind: 'rejected', reason: 'late' }).order.state).toBe('Filled');
  });

  it('reports an overfill as an anomaly instead of counting it', () => {
    let o = newOrder('x', 1);
    o = applyOrderEvent(o, { kind: 'fill', fill: { execId: 'a', qty: 1, price: 5000 } }).order;
    const t = applyOrderEvent(o, { kind: 'fill', fill: { execId: 'b', qty: 1, price: 5000 } });
    expect(t.order.filled).toBe(1);
    expect(t.anomaly).toMatch(/would fill 2 of an order for 1/);
  });

  it('a not-found order ends Inactive, but never one that has fills', () => {
    const sent = applyOrderEvent(newOrder('y', 1), { kind: 'sent', brokerOrderId: 3 }).order;
    expect(applyOrderEvent(sent, { kind: 'notFound', reason: 'no order with this orderRef at the broker' }).order).toMatchObject({ state: 'Inactive', detail: 'no order with this orderRef at the broker' });
    const partly = applyOrderEvent(newOrder('z', 2), { kind: 'fill', fill: { execId: 'q', qty: 1, price: 1 } }).order;
    expect(applyOrderEvent(partly, { kind: 'notFound', reason: 'x' }).order.state).toBe('PartiallyFilled');
  });
});
