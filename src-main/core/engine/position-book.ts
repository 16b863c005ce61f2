// The position and P&L as the broker's executions say, per CME trading day. This is accounting, not strategy: the
// decision core decides; this book answers "what do I hold, at what average price, and what have I made today" in
// points and dollars (MES: $5 per point) for the screen and the daily P&L table, and is the number reconciliation
// compares with the broker's own position.
import type { PnlDTO } from '../../../src-preload/contract';
export const MES_MULTIPLIER = 5;

export interface BookFill {
  side: 'BOT' | 'SLD';
  qty: number;
  price: number;
  /** Epoch seconds. */
  time: number;
  /** Dollars for this execution (null when the commission report has not arrived; the estimate is used). */
  commission: number | null;
}

/** Position and today's P&L, as the contract carries it to every UI. */
export type PnlView = PnlDTO;

export class PositionBook {
  private position = 0;
  private avgPrice: number | null = null;
  private lastPrice: number | null = null;
  private day = 0;
  private realizedPoints = 0;
  private commissions = 0;

  constructor(
    private readonly tradingDayOf: (epochSecs: number) => number,
    private readonly commissionPerSide: number,
    private readonly multiplier = MES_MULTIPLIER,
  ) {}

  /** Start from a known state (restart: position and average price from the database, today's realized P&L). */
  restore(s: { position: number; avgPrice: number | null; tradingDay: number; realizedUsd: number; commissionsUsd: number }): void {
    this.position = s.position;
    this.avgPrice = s.position === 0 ? null : s.avgPrice;
    this.day = s.tradingDay;
    this.realizedPoints = s.realizedUsd / this.multiplier;
    this.commissions = s.commissionsUsd;
  }

  private roll(time: number): void {
    const d = this.tradingDayOf(time);
    if (d !== this.day) {
      this.day = d;
      this.realizedPoints = 0;
      this.commissions = 0;
    }
  }

  /** Applies one execution; returns the points realized by it (per contract times closed contracts). */
  apply(f: BookFill): { closedQty: number; realizedPoints: number } {
    this.roll(f.time);
    this.commissions += f.commission ?? this.commissionPerSide * f.qty;
    const signed = f.side === 'BOT' ? f.qty : -f.qty;
    let closedQty = 0;
    let realized = 0;
    if (this.position !== 0 && Math.sign(signed) !== Math.sign(this.position)) {
      closedQty = Math.min(Math.abs(signed), Math.abs(this.position));
      realized = (f.price - (this.avgPrice as number)) * Math.sign(this.position) * closedQty;
      this.realizedPoints += realized;
    }
    const next = this.position + signed;
    if (next === 0) this.avgPrice = null;
    else if (Math.sign(next) !== Math.sign(this.position)) this.avgPrice = f.price; // opened, or flipped through zero
    else if (Math.abs(next) > Math.abs(this.position)) {
      this.avgPrice = ((this.avgPrice as number) * Math.abs(this.position) + f.price * Math.abs(signed)) / Math.abs(next);
    }
    this.position = next;
    this.lastPrice = f.price;
    return { closedQty, realizedPoints: realized };
  }

  mark(price: number, time: number): void {
    this.roll(time);
    this.lastPrice = price;
  }

  view(): PnlView {
    const unrealizedPoints = this.position !== 0 && this.lastPrice !== null && this.avgPrice !== null ? (this.lastPrice - this.avgPrice) * this.position : 0;
    const realizedUsd = this.realizedPoints * this.multiplier;
    const unrealizedUsd = unrealizedPoints * this.multiplier;
    return {
      position: this.position,
      avgPrice: this.avgPrice,
      lastPrice: this.lastPrice,
      tradingDay: this.day,
      realizedUsd: round2(realizedUsd),
      realizedPoints: round2(this.realizedPoints),
      unrealizedUsd: round2(unrealizedUsd),
      unrealizedPoints: round2(unrealizedPoints),
      commissionsUsd: round2(this.commissions),
      netUsd: round2(realizedUsd + unrealizedUsd - this.commissions),
    };
  }
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
