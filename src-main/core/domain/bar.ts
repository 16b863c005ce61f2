/** One OHLCV bar. `time` is the bar's start in epoch seconds UTC. Prices in index points. */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Column-oriented bars, the shape the native core consumes (JS allocates, Rust fills or reads). */
export interface BarColumns {
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export function allocColumns(length: number): BarColumns {
  return {
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

export function columnsFromBars(bars: readonly Bar[]): BarColumns {
  const c = allocColumns(bars.length);
  bars.forEach((b, i) => {
    c.time[i] = b.time;
    c.open[i] = b.open;
    c.high[i] = b.high;
    c.low[i] = b.low;
    c.close[i] = b.close;
    c.volume[i] = b.volume;
  });
  return c;
}

export function barAt(c: BarColumns, i: number): Bar {
  return {
    time: c.time[i] ?? NaN,
    open: c.open[i] ?? NaN,
    high: c.high[i] ?? NaN,
    low: c.low[i] ?? NaN,
    close: c.close[i] ?? NaN,
    volume: c.volume[i] ?? NaN,
  };
}
