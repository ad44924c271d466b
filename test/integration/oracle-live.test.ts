/**
 * Chinook from a real Oracle server into PostgreSQL, compared value by value with the Chinook
 * PostgreSQL fixture; then the plan has nothing left to do. No Oracle server can run on the machines
 * dmsplan is tested on (no Docker engine, no package), so this suite has NOT been run for this
 * build: it runs only where DMSPLAN_TEST_ORACLE_URL names a server, e.g.
 * `oracle://chinook:chinook@host:1521/FREEPDB1` (23ai: the fixture inserts several rows per VALUES).
 * It creates the Chinook tables in that user's schema, dropping them first.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oracleEngine } from '../../src/engines/oracle/index.js';
import { runCli } from '../support/cli.js';
import { postgresRows, postgresTables, sameValue } from '../support/compare.js';
import { createPostgresDatabase, FIXTURES, loadChinookPostgres, postgresAvailable, type TestDatabase } from '../support/servers.js';

const ORACLE_URL = process.env.DMSPLAN_TEST_ORACLE_URL;
const havePostgres = await postgresAvailable();

const TABLES = ['ALBUM', 'ARTIST', 'CUSTOMER', 'EMPLOYEE', 'GENRE', 'INVOICE', 'INVOICELINE', 'MEDIATYPE', 'PLAYLIST', 'PLAYLISTTRACK', 'TRACK'];
const KEYS: Record<string, string[]> = { PLAYLISTTRACK: ['playlistid', 'trackid'] };

/** The fixture's statements for the connected user: no GRANT or CONNECT, comments dropped, split at `;`. */
function chinookStatements(): string[] {
  const text = readFileSync(path.join(FIXTURES, 'Chinook_Oracle.sql'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  return text
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !/^(GRANT|CONNECT|EXIT|COMMIT)\b/i.test(s));
}

// A server probe: there is no Oracle server here; the suite runs only when DMSPLAN_TEST_ORACLE_URL names one (and PostgreSQL is reachable).
describe.skipIf(!ORACLE_URL || !havePostgres)('Chinook Oracle → PostgreSQL (live, DMSPLAN_TEST_ORACLE_URL)', () => {
  let target: TestDatabase;
  let reference: TestDatabase;
  let user: string;
  beforeAll(async () => {
    user = decodeURIComponent(new URL(ORACLE_URL!).username).toUpperCase();
    const conn = await oracleEngine.connect({ url: ORACLE_URL!, session: [], tls: undefined, poolSize: 2, applicationName: 'dmsplan test' });
    try {
      for (const t of TABLES) await conn.execute([`BEGIN EXECUTE IMMEDIATE 'DROP TABLE "${t}" CASCADE CONSTRAINTS PURGE'; EXCEPTION WHEN OTHERS THEN IF SQLCODE != -942 THEN RAISE; END IF; END;`]);
      await conn.execute(chinookStatements());
    } finally {
      await conn.close();
    }
    target = await createPostgresDatabase('h_oracle_dst');
    reference = await createPostgresDatabase('h_oracle_ref');
    await loadChinookPostgres(reference);
  }, 300_000);
  afterAll(async () => {
    await target?.drop();
    await reference?.drop();
  });

  it('copies the 11 tables with lower-case names, every value as the PostgreSQL fixture has it, and leaves nothing to do', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-oracle-')), 'plan.dmsplan');
    writeFileSync(file, `migration chinook {\n  validate = checksums\n}\nsource ora oracle {\n  url = env("ORA_URL")\n}\ntarget dst postgres {\n  url = env("PG_URL")\n}\nmap ora.${user}.* -> dst.*.* {\n}\n`);
    const env = { ORA_URL: ORACLE_URL, PG_URL: target.url };
    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.stdout + apply.stderr).toMatch(/Apply complete/);
    expect(apply.stdout + apply.stderr).not.toContain(new URL(ORACLE_URL!).password || '\u0000');
    const schema = user.toLowerCase();
    expect(await postgresTables(target.url, schema)).toEqual(TABLES.map((t) => t.toLowerCase()).sort());
    for (const t of TABLES) {
      // Keys: ALBUMID → albumid here, album_id in the fixture; PLAYLISTTRACK's is two columns.
      const keys = KEYS[t] ?? [`${t.toLowerCase()}id`];
      const copied = await postgresRows(target.url, schema, t.toLowerCase(), keys);
      const reference_ = await postgresRows(reference.url, 'public', refName(t), keys.map((k) => `${refName(k.replace(/id$/, '').toUpperCase())}_id`));
      expect(copied.rows.length, t).toBe(reference_.rows.length);
      for (let r = 0; r < reference_.rows.length; r++) {
        reference_.columns.forEach((c, i) => {
          const a = reference_.rows[r]![i]!;
          const b = copied.rows[r]![copied.columns.indexOf(c.replace(/_/g, ''))]!;
          if (!sameValue(a, b)) expect(`${t} row ${r} ${c}: ${b}`).toBe(`${t} row ${r} ${c}: ${a}`);
        });
      }
    }
    const again = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(again.code).toBe(0);
  }, 600_000);
});

/** The PostgreSQL fixture's snake_case name of an Oracle table. */
function refName(oracle: string): string {
  const names: Record<string, string> = { INVOICELINE: 'invoice_line', MEDIATYPE: 'media_type', PLAYLISTTRACK: 'playlist_track' };
  return names[oracle] ?? oracle.toLowerCase();
}
