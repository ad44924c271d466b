/**
 * SQL Server → PostgreSQL on real servers: Chinook (the fixture's SQL Server script) through `init`
 * + `apply`, then a table of edge values compared one by one. Needs a SQL Server, which this
 * project's machines do not have (no Docker engine, no Debian package): it runs only where
 * DMSPLAN_TEST_SQLSERVER_URL names one (`sqlserver://sa:pw@host:1433/master?trustServerCertificate=true`,
 * a login that may create databases), and was not run when the engine was written — see
 * docs/architecture.md for what was and was not run against a real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EngineConnection } from '../../../src/engines/contract.js';
import { sqlServerEngine } from '../../../src/engines/sqlserver/index.js';
import { runCli } from '../../support/cli.js';
import { createPostgresDatabase, FIXTURES, postgresAvailable, queryPostgres, uniqueName, type TestDatabase } from '../../support/servers.js';

const SQLSERVER_URL = process.env.DMSPLAN_TEST_SQLSERVER_URL;
const havePostgres = await postgresAvailable();

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function open(url: string): Promise<EngineConnection> {
  return sqlServerEngine.connect({ url, session: [], tls: undefined, poolSize: 2, applicationName: 'dmsplan test', role: 'source' });
}

/** The fixture's batches (split at GO), without the ones that drop, create and switch to [Chinook]. */
function chinookBatches(): string[] {
  const script = readFileSync(path.join(FIXTURES, 'Chinook_SqlServer.sql'), 'utf8');
  return script
    .split(/^\s*GO\s*$/im)
    .map((b) => b.trim())
    .filter((b) => b !== '' && !/DROP DATABASE|CREATE DATABASE|^\s*USE\s/im.test(b.replace(/\/\*[\s\S]*?\*\//g, '')));
}

const EDGE_SQL = [
  `CREATE SCHEMA edge`,
  `CREATE TABLE edge.[Odd]]Values] (
    id int NOT NULL PRIMARY KEY,
    tiny tinyint, frac decimal(4,4), big decimal(38,0), cash money, small_cash smallmoney, r real, f float,
    d date, t7 time(7), dt datetime, sdt smalldatetime, dt2 datetime2(3), dto datetimeoffset(3),
    fixed nchar(3), uni nvarchar(20), ascii varchar(10), bin varbinary(8), guid uniqueidentifier,
    doc xml, node hierarchyid, place geography, rv rowversion
  )`,
  `INSERT INTO edge.[Odd]]Values] (id, tiny, frac, big, cash, small_cash, r, f, d, t7, dt, sdt, dt2, dto, fixed, uni, ascii, bin, guid, doc, node, place) VALUES
    (1, 255, -0.9999, 99999999999999999999999999999999999999, -922337203685477.5808, 214748.3647, 0.1, 1.7976931348623157E308,
     '0001-01-01', '23:59:59.9999999', '1753-01-01 00:00:00.003', '2079-06-06 23:59:00', '9999-12-31 23:59:59.999', '2020-06-01 01:30:00.123 +05:30',
     N'a', N'😀 ü x', 'plain', 0x00FF, '6F9619FF-8B86-D011-B42D-00C04FC964FF',
     N'<a b="1">x</a>', hierarchyid::Parse('/1/3/'), geography::Point(47.65, -122.34, 4326)),
    (2, 0, 0.0001, -1, 0, 0, -0.0, 0, '9999-12-31', '00:00:00', '2000-02-29 12:00:00', '1900-01-01 00:00:00', '2000-01-01', '2000-01-01 00:00:00 -08:00',
     N'abc', N'', '', 0x, '00000000-0000-0000-0000-000000000000', NULL, NULL, NULL),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, N'nul ' + NCHAR(0) + N'here', NULL, NULL, NULL, NULL, NULL, NULL)`,
];

// A server probe: SQL Server cannot run on this project's machines, so the suite runs only where
// DMSPLAN_TEST_SQLSERVER_URL names one (and PostgreSQL is reachable); skipped otherwise.
describe.skipIf(SQLSERVER_URL === undefined || !havePostgres)('SQL Server → PostgreSQL (live)', () => {
  const database = uniqueName('h_sqlserver_chinook');
  let sourceUrl: string;
  let target: TestDatabase;
  let source: EngineConnection;

  beforeAll(async () => {
    const admin = await open(SQLSERVER_URL!);
    await admin.execute([`CREATE DATABASE [${database}]`]);
    await admin.close();
    sourceUrl = withDatabase(SQLSERVER_URL!, database);
    source = await open(sourceUrl);
    await source.execute(chinookBatches());
    await source.execute(EDGE_SQL);
    target = await createPostgresDatabase('h_sqlserver_dst');
  }, 300_000);

  afterAll(async () => {
    await source?.close();
    if (SQLSERVER_URL !== undefined) {
      const admin = await open(SQLSERVER_URL);
      await admin.execute([`ALTER DATABASE [${database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE`, `DROP DATABASE [${database}]`]).catch(() => undefined);
      await admin.close();
    }
    await target?.drop();
  });

  it('init + apply copies Chinook, keys and all, and leaves nothing to do', async () => {
    const env = { SOURCE_URL: sourceUrl, TARGET_URL: target.url };
    const init = await runCli(['init', '--from', sourceUrl, '--to', target.url]);
    expect(init.stderr).toBe('');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dmsplan-sqlserver-')), 'plan.dmsplan');
    // The edge schema has its own plan below.
    writeFileSync(file, init.stdout.replace(/map src\.edge\.\* -> dst\.\*\.\* \{[^}]*\}/, ''));
    const apply = await runCli(['apply', file, '--auto-approve'], env);
    expect(apply.stdout + apply.stderr).toMatch(/Apply complete/);
    expect(apply.code).toBe(0);
    for (const [table, rows] of [['album', 347], ['artist', 275], ['customer', 59], ['employee', 8], ['genre', 25], ['invoice', 412], ['invoice_line', 2240], ['media_type', 5], ['playlist', 18], ['playlist_track', 8715], ['track', 3503]] as const) {
      const counted = await queryPostgres(target.url, `SELECT count(*)::int AS n FROM dbo.${table}`);
      expect(counted[0]!.n, table).toBe(rows);
    }
    expect((await queryPostgres(target.url, `SELECT sum(total)::text AS s FROM dbo.invoice`))[0]!.s).toBe('2328.60');
    expect((await queryPostgres(target.url, `SELECT count(*)::int AS n FROM information_schema.table_constraints WHERE table_schema = 'dbo' AND constraint_type = 'FOREIGN KEY'`))[0]!.n).toBe(11);
    const again = await runCli(['plan', file, '--detailed-exitcode'], env);
    expect(again.code).toBe(0);
  }, 600_000);

  it('copies edge values exactly: 7-digit times, money extremes, offsets in UTC, uuids, emoji, hierarchyid and geography as text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dmsplan-sqlserver-edge-'));
    const file = path.join(dir, 'edge.dmsplan');
    writeFileSync(
      file,
      `source src sqlserver {\n  url = env("SOURCE_URL")\n}\ntarget dst postgres {\n  url = env("TARGET_URL")\n}\nmap src.edge.* -> dst.edge.* {\n  table "Odd]Values" {\n    drop rv\n  }\n}\ntypes sqlserver -> postgres {\n  time(7) -> time(6) lossy\n}\n`,
    );
    const apply = await runCli(['apply', file, '--auto-approve'], { SOURCE_URL: sourceUrl, TARGET_URL: target.url });
    expect(apply.stdout + apply.stderr).toMatch(/Apply complete/);
    const rows = await queryPostgres(
      target.url,
      `SELECT id, tiny::text, frac::text, big::text, cash::text, small_cash::text, r::text, f::text, d::text, t7::text, dt::text, sdt::text, dt2::text, dto AT TIME ZONE 'UTC' AS dto_utc, fixed, uni, ascii, encode(bin, 'hex') AS bin, guid::text, doc::text, node, place FROM edge."Odd]Values" ORDER BY id`,
    );
    expect(rows[0]).toMatchObject({
      tiny: '255', frac: '-0.9999', big: '99999999999999999999999999999999999999', cash: '-922337203685477.5808', small_cash: '214748.3647', r: '0.1', f: '1.7976931348623157e+308',
      d: '0001-01-01', t7: '23:59:59.999999', dt: '1753-01-01 00:00:00.003', sdt: '2079-06-06 23:59:00', dt2: '9999-12-31 23:59:59.999',
      fixed: 'a  ', ascii: 'plain', bin: '00ff', guid: '6f9619ff-8b86-d011-b42d-00c04fc964ff', doc: '<a b="1">x</a>', node: '/1/3/', place: 'SRID=4326;POINT (-122.34 47.65)',
    });
    expect(String(rows[0]!.dto_utc)).toContain('2020-05-31');
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0]!.uni).toBe('😀 ü x');
    expect(rows[1]).toMatchObject({ tiny: '0', frac: '0.0001', big: '-1', d: '9999-12-31', fixed: 'abc', uni: '', ascii: '', bin: '', guid: '00000000-0000-0000-0000-000000000000' });
    expect(rows[2]!.tiny).toBeNull();
    // PostgreSQL cannot store U+0000 in text: row 4 is in the rejects table, with its key and column.
    const rejects = await queryPostgres(target.url, `SELECT row_key, column_name FROM _dmsplan.rejects WHERE target_table LIKE '%Odd%'`);
    expect(rejects).toEqual([expect.objectContaining({ column_name: 'uni' })]);
    expect(String(rejects[0]!.row_key)).toContain('4');
  }, 600_000);
});
