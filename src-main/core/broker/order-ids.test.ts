import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderIdAllocator } from './order-ids';

describe('OrderIdAllocator', () => {
  it('refuses to hand out ids before the broker gave one', () => {
    expect(() => new OrderIdAllocator().take()).toThrow(/nextValidId/);
  });

  it('hands out consecutive ids from nextValidId', () => {
    const a = new OrderIdAllocator();
    a.observeNextValidId(100);
    expect(a.take(3)).toEqual([100, 101, 102]);
    expect(a.take()).toEqual([103]);
  });

  it('never goes back after a reconnect reports a lower id, and jumps past ids seen on the wire', () => {
    const a = new OrderIdAllocator();
    a.observeNextValidId(100);
    a.take(3);
    a.observeNextValidId(50); // a gateway restart that forgot us
    expect(a.take()).toEqual([103]);
    a.observeUsed(250);
    expect(a.take()).toEqual([251]);
    a.observeNextValidId(400);
    expect(a.take()).toEqual([400]);
  });

  it('property: ids are strictly increasing whatever the broker reports', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.record({ next: fc.integer({ min: 1, max: 500 }) }), fc.record({ used: fc.integer({ min: 1, max: 500 }) }), fc.record({ take: fc.integer({ min: 1, max: 3 }) })), { maxLength: 60 }),
        (ops) => {
          const a = new OrderIdAllocator();
          a.observeNextValidId(1);
          const ids: number[] = [];
          const used: number[] = [];
          for (const op of ops) {
            if ('next' in op) a.observeNextValidId(op.next);
            else if ('used' in op) {
              a.observeUsed(op.used);
              used.push(op.used);
            } else {
              const got = a.take(op.take);
              for (const id of got) expect(used.every((u) => id > u)).toBe(true);
              ids.push(...got);
            }
          }
          for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1] ?? -1);
        },
      ),
    );
  });
});
