/** The machine and the versions a result was measured with, for the report. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mysqlServerVersion, pgServerVersion } from './servers.js';

export interface Environment {
  readonly date: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly cpuModel: string;
  readonly versions: Readonly<Record<'node' | 'postgresql' | 'mariadb' | 'pgloader' | 'pgcopydb' | 'dmsplan', string>>;
}

function firstLineOf(command: string, args: readonly string[], pattern: RegExp): string {
  try {
    const out = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return (out.split('\n').find((l) => pattern.test(l)) ?? out.split('\n')[0] ?? '?').trim();
  } catch {
    return 'not installed';
  }
}

export async function readEnvironment(repoRoot: string): Promise<Environment> {
  const dmsplanVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const commit = firstLineOf('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'], /./);
  return {
    date: new Date().toISOString().slice(0, 10),
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    cpuModel: cpus()[0]?.model.trim() ?? '?',
    versions: {
      node: process.version,
      postgresql: await pgServerVersion(),
      mariadb: await mysqlServerVersion(),
      pgloader: firstLineOf('pgloader', ['--version'], /pgloader version/).replace(/^pgloader version\s*/, '').replace(/"/g, ''),
      pgcopydb: firstLineOf('pgcopydb', ['--version'], /^pgcopydb version/).replace(/^pgcopydb version\s*/, ''),
      dmsplan: `${dmsplanVersion} (${commit})`,
    },
  };
}

export function renderEnvironment(env: Environment): string {
  const v = env.versions;
  return [
    `- date: ${env.date}`,
    `- machine: ${env.cores} cores (${env.cpuModel}), ${env.memoryGb} GB memory; servers on loopback on the same machine`,
    `- versions: Node ${v.node}, PostgreSQL ${v.postgresql}, MariaDB ${v.mariadb}, pgloader ${v.pgloader}, pgcopydb ${v.pgcopydb}, dmsplan ${v.dmsplan}`,
  ].join('\n');
}
