// Startup reconciliation: before the engine trades, what the database believes is compared with what the broker
// reports. Fills made while the app was down are recorded (once, by execId) and fed to the engine; orders the
// database has open are matched by orderRef against the broker's open orders and executions; an intent written but
// never sent resolves to "never sent" (exactly 0 orders), never to a blind resubmission. Anything the database does
// not know (a position, or a working order placed by hand in TWS) is a mismatch: the engine fails closed.
import type { BrokerPort, ContractRef, OpenOrderEvent } from '../broker/port';
import type { OrderManager } from './order-manager';

export interface ReconcileReport {
  /** Executions that arrived while the app was down (recorded now). */
  newFills: number;
  /** Open database orders matched to working broker orders. */
  matched: string[];
  /** Intents never handed to the broker (resolved as not sent). */
  neverSent: string[];
  /** Sent orders the broker does not know. */
  notFound: string[];
  /** Working broker orders this app did not place (manual TWS orders, another client). */
  foreignOrders: OpenOrderEvent[];
  /** Signed contracts at the broker for the traded contract. */
  brokerPosition: number;
  brokerAvgPrice: number | null;
  /** Signed contracts the app's own fills add up to. */
  appPosition: number;
  /** Human-readable mismatches; empty when the two agree. */
  mismatches: string[];
}

export async function reconcile(
  broker: BrokerPort,
  manager: OrderManager,
  contract: ContractRef,
  appPosition: () => number,
  sinceTime: number | undefined,
): Promise<ReconcileReport> {
  manager.load();
  const [open, executions, positions] = await Promise.all([broker.openOrders(), broker.executions(sinceTime), broker.positions()]);

  let newFills = 0;
  for (const e of [...executions].sort((a, b) => (a.time ?? 0) - (b.time ?? 0))) {
    if (manager.onExecution(e)) newFills++;
    if (e.commission) manager.onCommission(e.commission);
  }

  const openByRef = new Map(open.filter((o) => o.orderRef).map((o) => [o.orderRef as string, o]));
  const matched: string[] = [];
  const neverSent: string[] = [];
  const notFound: string[] = [];
  for (const o of manager.working()) {
    const ref = o.intent.orderRef;
    const atBroker = openByRef.get(ref);
    if (atBroker) {
      manager.onOpenOrder(atBroker);
      matched.push(ref);
    } else if (o.tracked.state === 'intent') {
      manager.markNeverSent(ref);
      neverSent.push(ref);
    } else if (o.tracked.filled < o.tracked.qty) {
      manager.markNotFound(ref, 'not found at the broker at startup (no working order, no execution)');
      notFound.push(ref);
    }
  }

  const ours = (o: OpenOrderEvent) => o.orderRef !== null && manager.get(o.orderRef) !== undefined;
  const foreignOrders = open.filter((o) => !ours(o) && (o.conId === null || o.conId === contract.conId || o.localSymbol === contract.localSymbol));
  const held = positions.filter((p) => p.conId === contract.conId || p.localSymbol === contract.localSymbol);
  const brokerPosition = held.reduce((s, p) => s + p.qty, 0);
  const brokerAvgPrice = held.find((p) => p.qty !== 0)?.avgPrice ?? null;
  const app = appPosition();

  const mismatches: string[] = [];
  if (brokerPosition !== app) {
    mismatches.push(
      `the broker holds ${describe(brokerPosition)} ${contract.localSymbol} but this app's records show ${describe(app)}`,
    );
  }
  for (const o of foreignOrders) {
    mismatches.push(`a working ${o.side} ${o.qty} ${o.type} order (id ${o.orderId}) was not placed by this app`);
  }
  return { newFills, matched, neverSent, notFound, foreignOrders, brokerPosition, brokerAvgPrice, appPosition: app, mismatches };
}

function describe(signed: number): string {
  if (signed === 0) return 'no position';
  return `${signed > 0 ? 'long' : 'short'} ${Math.abs(signed)} contract${Math.abs(signed) === 1 ? '' : 's'}`;
}
