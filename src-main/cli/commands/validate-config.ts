import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exitCodeFor, validateConfigText } from '../../core/config/validate';
import { CliError } from '../io';

export function register(program: Command): void {
  program
    .command('validate-config')
    .description('Check a config.yaml: errors (field path + reason), warnings and suggestions. Exit 0 clean, 1 warnings, 2 errors. Writes nothing.')
    .argument('<file>', 'the YAML file to check')
    .action((file: string) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new CliError(`cannot read ${file}`);
      }
      const r = validateConfigText(text);
      const out: string[] = [];
      for (const e of r.errors) out.push(`error   ${e.path}: ${e.message}${e.suggestion ? `\n        suggestion: ${e.suggestion}` : ''}`);
      for (const w of r.warnings) out.push(`warning ${w.path}: ${w.message}${w.suggestion ? `\n        suggestion: ${w.suggestion}` : ''}`);
      const code = exitCodeFor(r);
      out.push(
        code === 0
          ? `${file}: valid, no warnings (mode ${r.config?.mode})`
          : code === 1
            ? `${file}: valid with ${r.warnings.length} warning(s) (mode ${r.config?.mode})`
            : `${file}: ${r.errors.length} error(s); the app will refuse to trade with this file`,
      );
      process.stdout.write(out.join('\n') + '\n');
      process.exitCode = code;
    });
}
