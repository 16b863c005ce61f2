// Candles on top, the z-score pane below with the entry (±entry z) and exit (±exit z) lines. Bars stream in
// through a transient store subscription and series.update: React never re-renders per bar.
import { useEffect, useRef } from 'react';
import {
  CandlestickSeries,
  createChart,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
  type WhitespaceData,
  type LineData,
} from 'lightweight-charts';
import type { BarDTO } from '../../../src-preload/contract';
import { useMarket } from '../../stores/market';
import { chartOptions, colors, zLineStyle } from './chart-theme';

function candle(b: BarDTO) {
  return { time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close };
}

function zPoint(time: number, z: number | null): LineData | WhitespaceData {
  return z === null ? { time: time as UTCTimestamp } : { time: time as UTCTimestamp, value: z };
}

export function LiveChart() {
  const host = useRef<HTMLDivElement>(null);
  const view = useMarket((s) => s.view);

  useEffect(() => {
    const el = host.current;
    const history = useMarket.getState().history;
    if (el === null || view === null || history === null) return;

    const chart: IChartApi = createChart(el, chartOptions);
    const candles: ISeriesApi<'Candlestick'> = chart.addSeries(CandlestickSeries, {
      upColor: colors.up,
      downColor: colors.down,
      borderVisible: false,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
      priceFormat: { type: 'price', precision: 2, minMove: 0.25 },
    });
    const zSeries: ISeriesApi<'Line'> = chart.addSeries(
      LineSeries,
      { color: colors.z, lineWidth: 2, priceFormat: { type: 'price', precision: 2, minMove: 0.01 }, title: 'z' },
      1,
    );
    for (const [price, color, style, title] of [
      [view.entryZ, colors.entry, zLineStyle.dashed, `short ≥ ${view.entryZ}`],
      [-view.entryZ, colors.entry, zLineStyle.dashed, `long ≤ −${view.entryZ}`],
      [view.exitZ, colors.exit, zLineStyle.dotted, `exit ${view.exitZ}`],
      [-view.exitZ, colors.exit, zLineStyle.dotted, `exit −${view.exitZ}`],
    ] as const) {
      zSeries.createPriceLine({ price, color, lineStyle: style, lineWidth: 1, axisLabelVisible: true, title });
    }
    chart.panes()[1]?.setHeight(Math.max(140, Math.round(el.clientHeight * 0.3)));

    candles.setData(history.bars.map(candle));
    zSeries.setData(history.bars.map((b, i) => zPoint(b.time, history.z[i] ?? null)));
    chart.timeScale().scrollToRealTime();

    const unsubscribe = useMarket.subscribe((s, prev) => {
      if (s.last === null || s.last === prev.last) return;
      candles.update(candle(s.last.bar));
      zSeries.update(zPoint(s.last.bar.time, s.last.z));
    });
    return () => {
      unsubscribe();
      chart.remove();
    };
  }, [view]);

  return <div className="live-chart" ref={host} data-testid="live-chart" />;
}
