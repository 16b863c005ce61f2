// The `quant-scalper` command line. Plain Node: it runs the same headless core as the desktop app.
import { runCli } from './program';

const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
