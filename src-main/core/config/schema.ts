// The configuration schema. Strict everywhere: an unknown key is an error with its path, so a typo can never
// silently fall back to a default. Every field has a default, so an empty file is a valid simulation config.
import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (24-hour)');

export const alertCategories = ['fills', 'trades', 'risk', 'kill_switch', 'connection', 'daily_summary', 'errors'] as const;

export const configSchema = z
  .object({
    mode: z.enum(['simulation', 'paper', 'live']).default('simulation'),
    /** Live trading needs this flag AND a typed confirmation in the app. */
    liveTradingConfirmed: z.boolean().default(false),
    ib: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        /** IB Gateway paper 4002 / live 4001; TWS paper 7497 / live 7496. */
        port: z.number().int().min(1).max(65535).default(4002),
        clientId: z.number().int().min(0).max(2_147_483_647).default(17),
        account: z.string().regex(/^[A-Z]{1,3}\d+$/, 'expected an IB account id such as DU1234567').optional(),
      })
      .strict()
      .prefault({}),
    instrument: z
      .object({
        symbol: z.literal('MES').default('MES'),
        rollDaysBeforeExpiry: z.number().int().min(0).max(30).default(8),
      })
      .strict()
      .prefault({}),
    strategy: z
      .object({
        name: z.enum(['zscore', 'bollinger', 'rsi']).default('zscore'),
        barSeconds: z.number().int().min(5).max(3600).default(60),
        zscore: z
          .object({
            lookback: z.number().int().min(2).max(5000).default(20),
            entryZ: z.number().positive().max(10).default(2),
            exitZ: z.number().min(0).max(10).default(0.5),
          })
          .strict()
          .prefault({}),
        bollinger: z
          .object({ period: z.number().int().min(2).max(5000).default(20), k: z.number().positive().max(10).default(2) })
          .strict()
          .prefault({}),
        rsi: z
          .object({
            period: z.number().int().min(2).max(500).default(14),
            oversold: z.number().min(0).max(100).default(30),
            overbought: z.number().min(0).max(100).default(70),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    risk: z
      .object({
        quantity: z.number().int().min(1).max(50).default(1),
        maxPosition: z.number().int().min(1).max(50).default(2),
        stopUsd: z.number().positive().default(200),
        targetUsd: z.number().positive().default(300),
        maxHoldMinutes: z.number().int().min(1).max(10_080).default(120),
        dailyLossLimitUsd: z.number().positive().default(500),
        consecutiveLossesToPause: z.number().int().min(1).max(100).default(3),
        pauseMinutes: z.number().int().min(1).max(1440).default(30),
        maxDrawdownUsd: z.number().positive().default(1000),
        maxOrdersPerMinute: z.number().int().min(1).max(600).default(10),
        staleDataSeconds: z.number().int().min(1).max(3600).default(30),
        priceCollarPoints: z.number().positive().default(10),
        commissionPerSideUsd: z.number().min(0).default(0.62),
        slippageTicks: z.number().int().min(0).max(100).default(1),
        /** Used only to judge the other limits (e.g. daily loss above 2% of the account). */
        accountSizeUsd: z.number().positive().default(25_000),
      })
      .strict()
      .prefault({}),
    /** Simulation mode: the app starts its own simulated IB Gateway on a loopback port and trades it. */
    simulation: z
      .object({
        /** Simulated seconds per real second (60: a one-minute bar every second). */
        speed: z.number().min(0.1).max(1000).default(60),
        seed: z.number().int().min(0).max(2_147_483_647).default(1),
        regime: z.enum(['bull', 'bear', 'sideways', 'volatile', 'switching']).default('switching'),
      })
      .strict()
      .prefault({}),
    tradingHours: z
      .object({
        noNewEntriesMinutesBeforeBreak: z.number().int().min(0).max(240).default(15),
        noNewEntriesMinutesBeforeWeekend: z.number().int().min(0).max(600).default(30),
      })
      .strict()
      .prefault({}),
    telegram: z
      .object({
        enabled: z.boolean().default(false),
        alerts: z.array(z.enum(alertCategories)).default([...alertCategories]),
        /** Quiet hours in US Eastern time; critical alerts (kill switch, risk halts) always go out. */
        quietHours: z.object({ start: hhmm, end: hhmm }).strict().optional(),
      })
      .strict()
      .prefault({}),
    ui: z
      .object({
        theme: z.enum(['dark', 'light']).default('dark'),
        timeZone: z.enum(['ET', 'CT', 'local']).default('ET'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.risk.quantity > c.risk.maxPosition) {
      ctx.addIssue({ code: 'custom', path: ['risk', 'quantity'], message: `order quantity ${c.risk.quantity} is above the max position of ${c.risk.maxPosition} contracts` });
    }
    if (c.strategy.zscore.exitZ >= c.strategy.zscore.entryZ) {
      ctx.addIssue({ code: 'custom', path: ['strategy', 'zscore', 'exitZ'], message: `exit z (${c.strategy.zscore.exitZ}) must be below entry z (${c.strategy.zscore.entryZ})` });
    }
    if (c.strategy.rsi.oversold >= c.strategy.rsi.overbought) {
      ctx.addIssue({ code: 'custom', path: ['strategy', 'rsi', 'oversold'], message: 'oversold must be below overbought' });
    }
    if (c.risk.stopUsd * c.risk.quantity > c.risk.dailyLossLimitUsd) {
      ctx.addIssue({
        code: 'custom',
        path: ['risk', 'stopUsd'],
        message: `one stopped-out order ($${c.risk.stopUsd} x ${c.risk.quantity} contracts) would exceed the daily loss limit of $${c.risk.dailyLossLimitUsd}`,
      });
    }
    if (c.mode === 'live' && !c.liveTradingConfirmed) {
      ctx.addIssue({ code: 'custom', path: ['liveTradingConfirmed'], message: 'mode live needs liveTradingConfirmed: true (and a typed confirmation in the app)' });
    }
    if (c.mode !== 'simulation' && c.ib.account === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ib', 'account'], message: `mode ${c.mode} needs the IB account id (e.g. DU1234567 for paper)` });
    }
  });

export type Config = z.output<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export const defaultConfig: Config = configSchema.parse({});
