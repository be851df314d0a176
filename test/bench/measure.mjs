/**
 * Shared by the benchmarks: running a whole process under test/bench/rusage.py
 * (wall time, peak RSS, CPU, measured the same way for comics and its peers), medians,
 * and the side-by-side table with ratios and goals.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RUSAGE = fileURLToPath(new URL('rusage.py', import.meta.url));
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/**
 * Runs `command args` and resolves with its measurements and stdout.
 * @returns {Promise<{ wallMs: number, rssMb: number, cpuMs: number, stdout: string }>}
 */
export function measure(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [RUSAGE, command, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', () => {
      const line = stderr.trim().split('\n').at(-1) ?? '';
      let usage;
      try {
        usage = JSON.parse(line);
      } catch {
        return reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim()}`));
      }
      if (usage.code !== 0 && !options.anyExit) return reject(new Error(`${command} ${args.join(' ')} exited ${usage.code}: ${stderr.trim().slice(0, 500)}`));
      resolve({ wallMs: usage.wallMs, rssMb: usage.maxRssKb / 1024, cpuMs: usage.cpuMs, stdout });
    });
  });
}

/** Whether a program is installed (on PATH). */
export function installed(program) {
  return spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/** Whether Debian's Python can import a module. */
export function pythonHas(module) {
  return spawnSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Prints rows of cells as a left-aligned table. */
export function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i] ?? '').length)));
  for (const row of rows) console.log(row.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ').trimEnd());
}

/**
 * One goal line: `what  ratio  goal  PASS/FAIL`. `ratio` is ours over theirs (times, memory: lower is better)
 * or theirs over ours (speed-ups: higher is better), as `better` says.
 */
export function goal(what, value, limit, better) {
  const ok = better === 'lower' ? value <= limit : value >= limit;
  return [what, `${value.toFixed(2)}×`, `${better === 'lower' ? '≤' : '≥'} ${limit}×`, ok ? 'PASS' : 'FAIL'];
}
