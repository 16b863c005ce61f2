// Locations inside the installed app, found from this module's own URL so they hold for the bundled CLI
// (out/main/cli.js), the Electron main bundle and the TypeScript sources run by tests alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
      if (name === 'quant-scalper') return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the quant-scalper package root');
    dir = up;
  }
}

export function rendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
