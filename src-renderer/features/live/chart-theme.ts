import { ColorType, LineStyle, TickMarkType, type DeepPartial, type ChartOptions, type Time } from 'lightweight-charts';
import { fmtEtDateTime, fmtEtDay, fmtEtTime } from '../../format';

const secs = (t: Time): number => (typeof t === 'number' ? t : 0);

export const colors = {
  bg: '#0d1117',
  grid: '#1c2330',
  text: '#c9d1d9',
  up: '#26a69a',
  down: '#ef5350',
  z: '#58a6ff',
  entry: '#f0883e',
  exit: '#8b949e',
};

export const chartOptions: DeepPartial<ChartOptions> = {
  autoSize: true,
  layout: {
    background: { type: ColorType.Solid, color: colors.bg },
    textColor: colors.text,
    fontFamily: 'Inter, system-ui, sans-serif',
    panes: { separatorColor: '#30363d', enableResize: true },
  },
  grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
  timeScale: {
    timeVisible: true,
    secondsVisible: false,
    borderColor: '#30363d',
    rightOffset: 4,
    // Axis labels in ET: day marks show the date, the rest the time.
    tickMarkFormatter: (t: Time, type: TickMarkType) =>
      type === TickMarkType.DayOfMonth || type === TickMarkType.Month || type === TickMarkType.Year ? fmtEtDay(secs(t)) : fmtEtTime(secs(t)),
  },
  localization: { timeFormatter: (t: Time) => fmtEtDateTime(secs(t)) },
  rightPriceScale: { borderColor: '#30363d' },
  crosshair: { horzLine: { labelBackgroundColor: '#30363d' }, vertLine: { labelBackgroundColor: '#30363d' } },
};

export const zLineStyle = { dashed: LineStyle.Dashed, dotted: LineStyle.Dotted };
