// The `quant-scalper` command line. Plain Node: it runs the same headless core as the desktop app.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { CliError } from './io';

const program = new Command('quant-scalper')
  .description('Quant Scalper: MES z-score scalping workstation (simulation, backtests, headless server)')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof CliError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
