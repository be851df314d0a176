import { findComic, loadConfig, resolveComic } from '../config/comics-config.js';
import { diagnose, type Diagnosis, type DoctorOptions } from '../health/doctor.js';
import type { NetworkDeps } from './deps.js';

export interface DoctorReport {
  diagnoses: Diagnosis[];
  /** 0 when every comic is fine, 1 when any needs attention. */
  exitCode: number;
}

/**
 * `comics doctor [<name>]`: fetches every followed comic (or the one named) now
 * and says whether it can still be followed, and what to change when not.
 *
 * @example
 * const { diagnoses, exitCode } = await runDoctor({ name: 'xkcd' }, { configPath, store, http });
 */
export async function runDoctor(
  options: { name?: string } & DoctorOptions,
  deps: NetworkDeps,
): Promise<DoctorReport> {
  const config = loadConfig(deps.configPath);
  const entries = options.name === undefined ? config.comics : [findComic(config, options.name)];
  const diagnoses = await diagnose(entries.map(resolveComic), deps, options);
  return { diagnoses, exitCode: diagnoses.every((diagnosis) => diagnosis.ok) ? 0 : 1 };
}
