import type { Command } from 'commander';
import type { DoctorReport } from '../commands/doctor.js';
import { FAILURE_CLASS_LABELS } from '../health/failure-class.js';
import { ago, json, plural } from './format.js';
import { integer } from './options.js';
import type { CommandHost } from './program.js';
import { colors, sanitize, StatusLine, useColor, type Colors } from './terminal.js';

/** `comics doctor [<name>]`. */
export function registerDoctor(program: Command, host: CommandHost): void {
  program
    .command('doctor [name]')
    .description('fetch each comic (or the one named) now, check it can still be followed, and say what to change')
    .option('--timeout <ms>', 'per-request timeout in milliseconds', integer(1), 30_000)
    .option('--json', 'print a JSON array')
    .action(async (name: string | undefined, flags: { timeout: number; json?: boolean }) => {
      const context = host.context();
      const status = new StatusLine(context.stderr);
      const [{ runDoctor }, { withReaderDeps }] = await Promise.all([import('../commands/doctor.js'), import('./deps.js')]);
      const report = await withReaderDeps(context, { timeoutMs: flags.timeout }, (deps) =>
        runDoctor(
          {
            ...(name === undefined ? {} : { name }),
            timeoutMs: flags.timeout,
            signal: context.signal,
            onResult: (_, done, total) => status.update(`Examining ${done}/${total} comics`, done === total),
          },
          deps,
        ).finally(() => status.clear()),
      );
      context.stdout.write(flags.json ? json(report.diagnoses) : renderDoctor(report, colors(useColor(context.stdout, context.env))));
      host.setExitCode(report.exitCode);
    });
}

/** Per comic: the verdict, then each problem (with what to change), or what was verified. */
export function renderDoctor(report: DoctorReport, c: Colors, now = new Date()): string {
  if (report.diagnoses.length === 0) return 'No comics followed yet: add one with comics add <url>.\n';
  const lines: string[] = [];
  for (const diagnosis of report.diagnoses) {
    const kind = diagnosis.failureClass === null ? '' : ` (${FAILURE_CLASS_LABELS[diagnosis.failureClass]})`;
    const verdict = diagnosis.ok ? 'ok' : `needs attention${kind}`;
    const failing =
      diagnosis.failureStreak > 0
        ? c.dim(` (last ${plural(diagnosis.failureStreak, 'check')} failed${diagnosis.failingSince ? `, since ${ago(diagnosis.failingSince, now)}` : ''})`)
        : '';
    lines.push(`${diagnosis.ok ? c.green(verdict) : c.red(verdict)}  ${c.bold(sanitize(diagnosis.name))} ${c.dim(`(${diagnosis.mode}: ${sanitize(diagnosis.source)})`)}${failing}`);
    for (const problem of diagnosis.problems) lines.push(`    - ${sanitize(problem)}`);
    if (diagnosis.ok) for (const check of diagnosis.checks) lines.push(c.dim(`    ${sanitize(check)}`));
  }
  const bad = report.diagnoses.filter((diagnosis) => !diagnosis.ok).length;
  lines.push(bad === 0 ? c.green(`All ${plural(report.diagnoses.length, 'comic')} can be followed.`) : c.red(`${bad} of ${plural(report.diagnoses.length, 'comic')} ${bad === 1 ? 'needs' : 'need'} attention.`));
  return `${lines.join('\n')}\n`;
}
