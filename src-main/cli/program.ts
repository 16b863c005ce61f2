// Builds the command tree and runs it; main.ts is the process entry, tests call `runCli` in-process.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { CliError } from './io';

export function buildProgram(): Command {
  const program = new Command('quant-scalper')
    .description('Quant Scalper: MES z-score scalping workstation (simulation, backtests, headless server)')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Runs one command line (without "node script"); returns the exit code, never throws. */
export async function runCli(args: string[], stderr: (s: string) => void = (s) => process.stderr.write(s)): Promise<number> {
  // Commands report soft failures (e.g. warnings -> 1) through process.exitCode; isolate each run's code.
  const outer = process.exitCode;
  process.exitCode = undefined;
  try {
    await buildProgram().parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      stderr(`error: ${err.message}\n`);
      return err.exitCode;
    }
    stderr(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    process.exitCode = outer;
  }
}
