/** Installs the anchors from Debian packages when they are missing (the bench runs as root). */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TIME_BINARY } from './measure.js';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function ensureTools(log: (line: string) => void): void {
  const missing = [
    ...(onPath('pgloader') ? [] : ['pgloader']),
    ...(onPath('pgcopydb') ? [] : ['pgcopydb']),
    ...(existsSync(TIME_BINARY) ? [] : ['time']),
  ];
  for (const tool of ['psql', 'pg_dump']) if (!onPath(tool)) throw new Error(`${tool} is not installed (the PostgreSQL client tools are needed)`);
  if (missing.length === 0) return;
  log(`installing ${missing.join(', ')} (apt-get) …`);
  execFileSync('sh', ['-c', `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`], { stdio: 'inherit' });
}
