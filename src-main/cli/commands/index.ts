// The one list of CLI commands. Each command lives in its own file and exports `register(program)`.
import type { Command } from 'commander';
import { register as backtest } from './backtest';
import { register as control } from './control';
import { register as exportCsv } from './export';
import { register as indicators } from './indicators';
import { register as optimize } from './optimize';
import { register as serve } from './serve';
import { register as simGateway } from './sim-gateway';
import { register as simulate } from './simulate';
import { register as validateConfig } from './validate-config';
import { register as walkforward } from './walkforward';

export function registerCommands(program: Command): void {
  for (const register of [serve, simGateway, simulate, indicators, backtest, optimize, walkforward, validateConfig, exportCsv, control]) register(program);
}
