import { describe, expect, it } from 'vitest';
import { BrokerError } from '../errors';
import { ManualClock } from '../manual-clock';
import { QueryBook, REQ_ID_BASE } from './pending-query';

describe('QueryBook', () => {
  it('collects items and resolves on End', async () => {
    const book = new QueryBook(new ManualClock());
    const id = book.reqId();
    expect(id).toBe(REQ_ID_BASE);
    const q = book.start<number, number>(id, 'sum query', 1_000, (xs) => xs.reduce((a, b) => a + b, 0));
    book.get<number, number>(id)?.add(2);
    book.get<number, number>(id)?.add(3);
    book.get(id)?.complete();
    await expect(q.promise).resolves.toBe(5);
    expect(book.size()).toBe(0);
  });

  it('rejects with a clear timeout error and forgets the query', async () => {
    const clock = new ManualClock();
    const book = new QueryBook(clock);
    const q = book.start<number, number[]>('positions', 'positions query', 10_000, (xs) => xs);
    clock.advance(10_000);
    await expect(q.promise).rejects.toThrow(new BrokerError('timeout', 'IB did not finish the positions query within 10 s'));
    expect(book.has('positions')).toBe(false);
    q.complete(); // a late End changes nothing
  });

  it('failAll rejects every open query and cancels their timers', async () => {
    const clock = new ManualClock();
    const book = new QueryBook(clock);
    const a = book.start<number, number[]>(1, 'a', 5_000, (xs) => xs);
    const b = book.start<number, number[]>(2, 'b', 5_000, (xs) => xs);
    book.failAll(new BrokerError('disconnected', 'connection lost'));
    await expect(a.promise).rejects.toMatchObject({ code: 'disconnected' });
    await expect(b.promise).rejects.toMatchObject({ code: 'disconnected' });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('turns an exception in the finisher into a rejection', async () => {
    const book = new QueryBook(new ManualClock());
    const q = book.start<number, number>(1, 'contract lookup', 5_000, () => {
      throw new Error('nothing listed');
    });
    q.complete();
    await expect(q.promise).rejects.toThrow('contract lookup: nothing listed');
  });
});
