// The application core runs without Electron (headless shell, CLI, tests): no file under src-main/core, the CLI,
// the headless shell or the simulated gateway may import it. (eslint enforces the same rule while editing.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './paths';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return /\.(ts|tsx|mts|cts)$/.test(name) ? [p] : [];
  });
}

const importsElectron = /(from\s+['"]electron(\/[^'"]*)?['"])|(require\(\s*['"]electron['"]\s*\))|(import\(\s*['"]electron['"]\s*\))/;

describe('the core never imports electron', () => {
  const root = packageRoot();
  for (const area of ['src-main/core', 'src-main/cli', 'src-main/headless']) {
    it(area, () => {
      const offenders = tsFiles(join(root, area))
        .filter((f) => !f.endsWith('no-electron.test.ts')) // this file spells the patterns out
        .filter((f) => importsElectron.test(readFileSync(f, 'utf8')));
      expect(offenders.map((f) => relative(root, f))).toEqual([]);
    });
  }

  it('the detector itself catches an electron import', () => {
    expect(importsElectron.test("import { app } from 'electron';")).toBe(true);
    expect(importsElectron.test("const { ipcMain } = require('electron')")).toBe(true);
    expect(importsElectron.test("import x from 'electron-vite';")).toBe(false);
  });
});
