// The TCP server: accepts API clients, answers requests from the venue and the market feed, and routes venue
// events to the clients that own them. Venue state outlives connections (apps restart against the same gateway).
import { createServer, type Server, type Socket } from 'node:net';
import { cmeTradingDay, type NativeBar } from '../../core/native';
import type { Regime } from '../../core/native/market-sim';
import { FaultState } from '../faults';
import { matchContracts, type ContractQuery, type VenueContract } from '../market/contracts';
import { BAR_SECONDS, MarketFeed } from '../market/feed';
import { HistoricalPacing } from '../market/pacing';
import { connectionTimeText } from '../market/time';
import { decodeRequest, type HistoricalRequest, type OrderRequest, type Request } from '../protocol/decode-requests';
import { encodeCommissionReport, encodeExecDetails, encodeExecDetailsEnd } from '../protocol/encode-executions';
import { encodeContractData, encodeContractDataEnd, encodeRealtimeBar, encodeTickPrice, encodeTickSize } from '../protocol/encode-market';
import { encodeOpenOrder, encodeOpenOrderEnd, encodeOrderStatus } from '../protocol/encode-orders';
import { encodeCurrentTime, encodeError, encodeManagedAccounts, encodeNextValidId, encodePosition, encodePositionEnd } from '../protocol/encode-session';
import type { Field } from '../protocol/fields';
import { negotiateVersion } from '../protocol/versions';
import { isWorking, type VenueExecution, type VenueOrder, type VenuePosition } from '../venue/types';
import { Venue } from '../venue/venue';
import { accountValues, matchesFilter, sendAccountSummary, sendAccountUpdate } from './account';
import { Connection } from './connection';
import { answerHistorical } from './historical';

export interface GatewayConfig {
  host: string;
  port: number;
  seed: number;
  regime: Regime;
  speed: number;
  manual: boolean;
  startTime: number;
  account: string;
  faults: string[];
  log: (line: string) => void;
}

const CONNECTIVITY_TEXT: Record<1100 | 1101 | 1102, string> = {
  1100: 'Connectivity between IB and Trader Workstation has been lost.',
  1101: 'Connectivity between IB and Trader Workstation has been restored - data lost.',
  1102: 'Connectivity between IB and Trader Workstation has been restored - data maintained.',
};

type AckMode = { kind: 'normal' } | { kind: 'lose' } | { kind: 'delay'; ms: number };

export class Gateway {
  readonly faults: FaultState;
  readonly venue: Venue;
  readonly feed: MarketFeed;
  private readonly server: Server;
  private readonly conns = new Set<Connection>();
  private readonly pacing = new HistoricalPacing();
  private dataLost = false;
  private timer: NodeJS.Timeout | null = null;
  private ackMode: AckMode = { kind: 'normal' };
  private readonly timeouts = new Set<NodeJS.Timeout>();
  port = 0;

  constructor(private readonly cfg: GatewayConfig) {
    this.feed = new MarketFeed(cfg.seed, cfg.regime, cfg.startTime);
    this.faults = new FaultState({
      dropConnections: () => {
        for (const c of this.conns) c.socket.destroy();
      },
      sendConnectivity: (code) => this.connectivity(code),
    });
    for (const f of cfg.faults) this.faults.enable(f);
    this.venue = new Venue({
      account: cfg.account,
      now: () => this.feed.now(),
      partialFills: () => this.faults.partial,
      matchingPaused: () => this.faults.matchingPaused,
    });
    this.venue.on({
      order: (o, ack) => this.onOrder(o, ack),
      cancelled: (o) => this.toOwners(o.clientId, [encodeOpenOrder(o), encodeOrderStatus(o), encodeError(o.orderId, 202, 'Order Canceled - reason:')]),
      execution: (e) => this.toOwners(e.clientId, [encodeExecDetails(-1, e), encodeCommissionReport(e)]),
      position: (p) => this.onPosition(p),
    });
    this.server = createServer((s) => this.accept(s));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.cfg.port, this.cfg.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr !== null ? addr.port : this.cfg.port;
    if (!this.cfg.manual) this.timer = setInterval(() => this.step(1), (BAR_SECONDS * 1000) / this.cfg.speed);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const t of this.timeouts) clearTimeout(t);
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  connectionCount(): number {
    return [...this.conns].filter((c) => c.started && c.alive).length;
  }

  step(n = 1): void {
    for (let i = 0; i < n; i++) {
      const bar = this.feed.next();
      this.venue.onBar(bar);
      if (!this.dataLost) this.stream(bar);
    }
  }

  placeManual(o: { action: 'BUY' | 'SELL'; qty: number; type?: 'MKT' | 'LMT'; lmtPrice?: number }): number {
    const front = matchContracts(frontQuery, this.feed.now() * 1000)[0];
    if (!front) throw new Error('no listed MES contract');
    const orderId = this.venue.nextOrderId();
    const r = this.venue.place({
      orderId, clientId: 0, contract: front, action: o.action, totalQuantity: o.qty, orderType: o.type ?? 'MKT',
      lmtPrice: o.lmtPrice ?? null, auxPrice: null, tif: 'DAY', ocaGroup: '', ocaType: 0, account: this.cfg.account,
      orderRef: '', transmit: true, parentId: 0, outsideRth: true,
    });
    if (!r.ok) throw new Error(r.message);
    return orderId;
  }

  // ---- connections ----

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const c = new Connection(socket, () => this.faults.silent);
    this.conns.add(c);
    socket.on('data', (chunk: Buffer) => {
      if (this.faults.silent) return;
      try {
        for (const m of c.read(chunk)) {
          if (m.kind === 'bad') {
            this.cfg.log(`closing a connection: ${m.reason}`);
            socket.destroy();
            return;
          }
          if (m.kind === 'hello') {
            const v = negotiateVersion(m.minVersion, m.maxVersion);
            if (v === null) {
              this.cfg.log(`closing a connection: client speaks v${m.minVersion}..${m.maxVersion}, we speak 193 only`);
              socket.destroy();
              return;
            }
            c.version = v;
            c.sendHandshake(v, connectionTimeText(this.feed.now()));
            continue;
          }
          this.handle(c, decodeRequest(m.fields));
        }
      } catch (err) {
        this.cfg.log(`closing a connection after a malformed message: ${err instanceof Error ? err.message : String(err)}`);
        socket.destroy();
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.conns.delete(c));
  }

  private handle(c: Connection, r: Request): void {
    if (!c.started && r.kind !== 'startApi') return;
    switch (r.kind) {
      case 'startApi':
        return this.startApi(c, r.clientId);
      case 'placeOrder':
        return this.placeOrder(c, r.order);
      case 'cancelOrder': {
        const res = this.venue.cancel(r.orderId);
        if (!res.ok) c.send(encodeError(r.orderId, res.code, res.message));
        return;
      }
      case 'globalCancel':
        return this.venue.globalCancel();
      case 'openOrders': {
        const mine = r.scope === 'client' ? (o: VenueOrder) => o.clientId === c.clientId : () => true;
        for (const o of this.venue.liveOrders()) {
          if (!isWorking(o) || !o.transmitted || !mine(o)) continue;
          c.send(encodeOpenOrder(o));
          c.send(encodeOrderStatus(o));
        }
        c.send(encodeOpenOrderEnd());
        return;
      }
      case 'executions': {
        for (const e of this.todaysExecutions()) {
          if (!matchesFilter(e, r.filter)) continue;
          c.send(encodeExecDetails(r.reqId, e));
          c.send(encodeCommissionReport(e));
        }
        c.send(encodeExecDetailsEnd(r.reqId));
        return;
      }
      case 'ids':
        return c.send(encodeNextValidId(this.venue.nextOrderId()));
      case 'currentTime':
        return c.send(encodeCurrentTime(this.feed.now()));
      case 'contractDetails': {
        const found = matchContracts(r.contract, this.feed.now() * 1000);
        if (found.length === 0) return c.send(encodeError(r.reqId, 200, 'No security definition has been found for the request'));
        for (const k of found) c.send(encodeContractData(r.reqId, k, this.feed.now()));
        return c.send(encodeContractDataEnd(r.reqId));
      }
      case 'mktData': {
        if (!this.resolve(c, r.reqId, r.contract)) return;
        c.mktData.add(r.reqId);
        const b = this.feed.lastBar();
        if (b && !this.dataLost) this.sendTicks(c, r.reqId, b);
        return;
      }
      case 'cancelMktData':
        c.mktData.delete(r.reqId);
        return;
      case 'realTimeBars':
        if (this.resolve(c, r.reqId, r.contract)) c.realTimeBars.add(r.reqId);
        return;
      case 'cancelRealTimeBars':
        c.realTimeBars.delete(r.reqId);
        return;
      case 'historicalData':
        return this.historical(c, r.req);
      case 'cancelHistoricalData':
      case 'marketDataType':
        return;
      case 'positions':
        c.positions = r.subscribe;
        if (r.subscribe) {
          for (const p of this.venue.positions()) c.send(encodePosition(p));
          c.send(encodePositionEnd());
        }
        return;
      case 'accountSummary':
        return sendAccountSummary(c, r.reqId, r.tags, this.cfg.account, this.accountValues());
      case 'cancelAccountSummary':
        return;
      case 'accountUpdates':
        c.accountUpdates = r.subscribe;
        if (r.subscribe) this.accountUpdate(c, true);
        return;
      case 'unknown':
        this.cfg.log(`ignoring unsupported message id ${r.msgId} from client ${c.clientId ?? '?'}`);
        return;
    }
  }

  private startApi(c: Connection, clientId: number): void {
    if (c.started) return;
    const dup = [...this.conns].some((o) => o !== c && o.alive && o.clientId === clientId);
    if (dup) {
      c.send(encodeError(-1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.'));
      // end() lets the 326 reach the client; the timer covers a client that never closes its side.
      c.socket.end();
      setTimeout(() => c.socket.destroy(), 500).unref();
      return;
    }
    c.clientId = clientId;
    this.cfg.log(`client ${clientId} connected`);
    c.send(encodeManagedAccounts(this.cfg.account));
    c.send(encodeNextValidId(this.venue.nextOrderId()));
    c.send(encodeError(-1, 2104, 'Market data farm connection is OK:usfarm'));
    c.send(encodeError(-1, 2106, 'HMDS data farm connection is OK:ushmds'));
    c.send(encodeError(-1, 2158, 'Sec-def data farm connection is OK:secdefnj'));
    if (this.faults.resendExecutions) {
      for (const e of this.todaysExecutions()) {
        c.send(encodeExecDetails(-1, e));
        c.send(encodeCommissionReport(e));
      }
    }
  }

  private placeOrder(c: Connection, o: OrderRequest): void {
    this.venue.noteOrderId(o.orderId);
    if (this.faults.rejectReason !== null) {
      const reason = this.faults.rejectReason;
      this.faults.rejectReason = null;
      return c.send(encodeError(o.orderId, 201, `Order rejected - reason:${reason}`));
    }
    const contract = matchContracts(o.contract, this.feed.now() * 1000);
    if (contract.length > 1) return c.send(encodeError(o.orderId, 200, `The contract description specified for ${o.contract.symbol} is ambiguous.`));
    const k = contract[0];
    if (!k) return c.send(encodeError(o.orderId, 200, 'No security definition has been found for the request'));
    if (o.action !== 'BUY' && o.action !== 'SELL') return c.send(encodeError(o.orderId, 201, `Order rejected - reason:Invalid action ${o.action}`));
    if (o.orderType !== 'MKT' && o.orderType !== 'LMT' && o.orderType !== 'STP') {
      return c.send(encodeError(o.orderId, 387, `Unsupported order type for this exchange and security type (${o.orderType}).`));
    }
    this.ackMode = this.faults.loseAck ? { kind: 'lose' } : this.faults.ackDelayMs > 0 ? { kind: 'delay', ms: this.faults.ackDelayMs } : { kind: 'normal' };
    // A bracket is acknowledged when its last (transmitting) order arrives: the whole bracket loses its ack.
    if (o.transmit) this.faults.loseAck = false;
    try {
      const res = this.venue.place({ ...o, contract: k, clientId: c.clientId ?? 0, action: o.action, orderType: o.orderType, account: o.account || this.cfg.account });
      if (!res.ok) c.send(encodeError(o.orderId, res.code, res.message));
    } finally {
      this.ackMode = { kind: 'normal' };
    }
  }

  // ---- venue events ----

  private onOrder(o: VenueOrder, ack: boolean): void {
    const msgs = [encodeOpenOrder(o), encodeOrderStatus(o)];
    if (!ack || this.ackMode.kind === 'normal') return this.toOwners(o.clientId, msgs);
    if (this.ackMode.kind === 'lose') return;
    const t = setTimeout(() => {
      this.timeouts.delete(t);
      this.toOwners(o.clientId, msgs);
    }, this.ackMode.ms);
    this.timeouts.add(t);
  }

  private onPosition(p: VenuePosition): void {
    for (const c of this.conns) {
      if (!c.started) continue;
      if (c.positions) c.send(encodePosition(p));
      if (c.accountUpdates) this.accountUpdate(c, false);
    }
  }

  /** Order traffic goes to the placing client; client 0 (the "master" seat) sees every order, as TWS does. */
  private toOwners(clientId: number, msgs: Field[][]): void {
    for (const c of this.conns) {
      if (!c.started || (c.clientId !== clientId && c.clientId !== 0)) continue;
      for (const m of msgs) c.send(m);
    }
  }

  // ---- market data ----

  private connectivity(code: 1100 | 1101 | 1102): void {
    for (const c of this.conns) if (c.started) c.send(encodeError(-1, code, CONNECTIVITY_TEXT[code]));
    if (code === 1100) this.dataLost = true;
    else {
      this.dataLost = false;
      if (code === 1101) for (const c of this.conns) c.forgetSubscriptions();
    }
  }

  private stream(bar: NativeBar): void {
    for (const c of this.conns) {
      if (!c.started) continue;
      for (const id of c.realTimeBars) c.send(encodeRealtimeBar(id, bar));
      for (const id of c.mktData) this.sendTicks(c, id, bar);
    }
  }

  private sendTicks(c: Connection, reqId: number, bar: NativeBar): void {
    const size = Math.max(1, Math.round(bar.volume / 10));
    c.send(encodeTickPrice(reqId, 1, bar.close - 0.25, size));
    c.send(encodeTickPrice(reqId, 2, bar.close + 0.25, size));
    c.send(encodeTickPrice(reqId, 4, bar.close, size));
    c.send(encodeTickSize(reqId, 8, bar.volume));
  }

  /** The front matching contract, or error 200 to the client. */
  private resolve(c: Connection, reqId: number, q: ContractQuery): VenueContract | null {
    const k = matchContracts(q, this.feed.now() * 1000)[0];
    if (!k) c.send(encodeError(reqId, 200, 'No security definition has been found for the request'));
    return k ?? null;
  }

  private historical(c: Connection, r: HistoricalRequest): void {
    const k = this.resolve(c, r.reqId, r.contract);
    if (k) answerHistorical(c, r, k, { pacing: this.pacing, seed: this.cfg.seed, regime: this.cfg.regime, now: this.feed.now(), lastPrice: this.feed.lastPrice() });
  }

  // ---- account ----

  private accountValues(): Record<string, number> {
    return accountValues(this.venue.positions(), this.feed.lastPrice());
  }

  private accountUpdate(c: Connection, first: boolean): void {
    sendAccountUpdate(c, first, { account: this.cfg.account, positions: this.venue.positions(), lastPrice: this.feed.lastPrice(), now: this.feed.now(), values: this.accountValues() });
  }

  private todaysExecutions(): readonly VenueExecution[] {
    const today = cmeTradingDay(this.feed.now());
    return this.venue.liveExecutions().filter((e) => cmeTradingDay(e.time) === today);
  }
}

const frontQuery: ContractQuery = { conId: 0, symbol: 'MES', secType: 'FUT', lastTradeDateOrContractMonth: '', exchange: 'CME', currency: 'USD', localSymbol: '' };
