// @stoqey/ib objects -> the port's plain, broker-neutral events. IB marks "no value" with Double.MAX_VALUE and
// leaves fields undefined freely; both become null here so the engine never does arithmetic on a sentinel.
import type { CommissionReport, Contract, ContractDetails, Execution, Order, OrderState } from '@stoqey/ib';
import { type ListedContract, normaliseExpiry } from '../front-month';
import type { BrokerOrderStatus, CommissionEvent, ExecutionEvent, OpenOrderEvent, OrderSide, OrderStatusEvent, PositionReport } from '../port';
import { parseIbTime } from './ib-time';

const UNSET = 1e300;

export const num = (v: number | undefined | null): number | null => (v === undefined || v === null || !Number.isFinite(v) || Math.abs(v) >= UNSET ? null : v);
const str = (v: string | undefined | null): string | null => (v === undefined || v === null || v === '' ? null : v);
const positiveId = (v: number | undefined | null): number | null => {
  const n = num(v);
  return n === null || n <= 0 ? null : n;
};

export function listedContract(d: ContractDetails): ListedContract {
  const c = d.contract;
  return {
    conId: c.conId ?? 0,
    symbol: c.symbol ?? '',
    localSymbol: c.localSymbol ?? '',
    exchange: c.exchange ?? '',
    currency: c.currency ?? '',
    tradingClass: c.tradingClass ?? '',
    contractMonth: d.contractMonth ?? (c.lastTradeDateOrContractMonth ?? '').slice(0, 6),
    expiry: normaliseExpiry(d.realExpirationDate, c.lastTradeDate, c.lastTradeDateOrContractMonth),
    multiplier: Number(c.multiplier ?? 0),
    minTick: d.minTick ?? 0,
  };
}

const STATUSES: ReadonlySet<string> = new Set<BrokerOrderStatus>(['ApiPending', 'PendingSubmit', 'PreSubmitted', 'Submitted', 'PendingCancel', 'ApiCancelled', 'Cancelled', 'Filled', 'Inactive']);

export const isKnownStatus = (s: string): s is BrokerOrderStatus => STATUSES.has(s);

export function orderStatusEvent(
  orderId: number,
  status: BrokerOrderStatus,
  filled: number,
  remaining: number,
  avgFillPrice: number,
  permId: number | undefined,
  parentId: number | undefined,
  lastFillPrice: number | undefined,
  clientId: number | undefined,
  whyHeld: string | undefined,
  orderRef: string | null,
): OrderStatusEvent {
  return {
    orderId,
    orderRef,
    status,
    filled: num(filled) ?? 0,
    remaining: num(remaining) ?? 0,
    avgFillPrice: (num(avgFillPrice) ?? 0) > 0 ? avgFillPrice : null,
    lastFillPrice: (num(lastFillPrice) ?? 0) > 0 ? (lastFillPrice ?? null) : null,
    permId: positiveId(permId),
    parentId: positiveId(parentId),
    clientId: num(clientId),
    whyHeld: str(whyHeld),
  };
}

const side = (action: string | undefined): OrderSide => (action === 'SELL' || action === 'SSHORT' || action === 'SLD' ? 'SELL' : 'BUY');

export function openOrderEvent(orderId: number, contract: Contract, order: Order, state: OrderState): OpenOrderEvent {
  return {
    orderId,
    permId: positiveId(order.permId),
    clientId: num(order.clientId),
    orderRef: str(order.orderRef),
    account: str(order.account),
    conId: positiveId(contract.conId),
    localSymbol: str(contract.localSymbol),
    side: side(order.action),
    qty: num(order.totalQuantity) ?? 0,
    type: order.orderType,
    limitPrice: num(order.lmtPrice),
    stopPrice: num(order.auxPrice),
    parentId: positiveId(order.parentId),
    ocaGroup: str(order.ocaGroup),
    status: state.status ?? 'Unknown',
  };
}

export function executionEvent(contract: Contract, e: Execution, brokerTimeZone: string): ExecutionEvent {
  const timeText = e.time ?? '';
  return {
    execId: e.execId ?? '',
    orderId: e.orderId ?? 0,
    permId: positiveId(e.permId),
    clientId: num(e.clientId),
    orderRef: str(e.orderRef),
    account: str(e.acctNumber),
    conId: positiveId(contract.conId),
    localSymbol: str(contract.localSymbol),
    side: side(e.side),
    qty: num(e.shares) ?? 0,
    price: num(e.price) ?? 0,
    time: parseIbTime(timeText, brokerTimeZone),
    timeText,
    cumQty: num(e.cumQty),
    avgPrice: num(e.avgPrice),
  };
}

export function commissionEvent(r: CommissionReport): CommissionEvent {
  return {
    execId: r.execId ?? '',
    commission: num(r.commission) ?? 0,
    currency: r.currency ?? '',
    realizedPnl: num(r.realizedPNL),
  };
}

export function positionReport(account: string, contract: Contract, pos: number, avgCost: number | undefined): PositionReport {
  const multiplier = Number(contract.multiplier ?? 0) || 1;
  const cost = num(avgCost);
  return {
    account,
    conId: contract.conId ?? 0,
    symbol: contract.symbol ?? '',
    localSymbol: contract.localSymbol ?? '',
    qty: pos,
    avgPrice: cost === null || pos === 0 ? null : cost / multiplier,
  };
}
