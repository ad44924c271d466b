/**
 * Resolving endpoint URLs from the environment and opening connections. The only place a secret
 * URL is held; everything shown is redacted and every error message is scrubbed.
 */
import { error, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readFileSync } from 'node:fs';
import { EngineError, type ClosingMode, type ConnectConfig, type EngineConnection } from '../engines/contract.js';
import { findEngine } from '../engines/registry.js';
import { engineOfUrl, redactUrl, scrubSecrets } from '../engines/url.js';
import type { UrlRef } from '../ir/ir.js';
import type { EndpointPlan } from '../check/checked-plan.js';

export interface ResolvedEndpoint {
  readonly plan: EndpointPlan;
  readonly url: string;
}

export function resolveUrl(ref: UrlRef, env: Readonly<Record<string, string | undefined>>): string | undefined {
  switch (ref.kind) {
    case 'env': {
      const v = env[ref.variable];
      return v !== undefined && v !== '' ? v : ref.fallback;
    }
    case 'literal':
      return ref.value;
    default: {
      const never: never = ref;
      return never;
    }
  }
}

export function resolveEndpoints(endpoints: readonly EndpointPlan[], env: Readonly<Record<string, string | undefined>>): { endpoints: ResolvedEndpoint[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const out: ResolvedEndpoint[] = [];
  for (const e of endpoints) {
    const url = resolveUrl(e.url, env);
    const span = 'span' in e.url ? e.url.span : undefined;
    if (url === undefined) {
      const variable = e.url.kind === 'env' ? e.url.variable : '';
      // `export DST_URL=` (a script whose own variable was empty) read as "not set" sent users
      // looking for a missing export.
      const state = env[variable] === '' ? 'is set but empty' : 'is not set';
      diagnostics.push(error('DMS5001', `${e.role} ${e.name}: environment variable ${variable} ${state}`, span, `export ${variable}=${exampleUrl(e.engine)}`));
      continue;
    }
    const engine = engineOfUrl(url);
    if (engine === undefined) {
      diagnostics.push(error('DMS5002', `${e.role} ${e.name}: \`${redactUrl(url)}\` is not a connection URL dmsplan knows`, span, `expected ${exampleUrl(e.engine)}`));
      continue;
    }
    // The declared engine connects, so the URL must be its own: PostgreSQL's driver cannot open a
    // PGlite directory, and PGlite would take a postgres:// URL for a directory name.
    if (engine !== e.engine) {
      diagnostics.push(error('DMS5002', `${e.role} ${e.name} is declared ${e.engine} but its URL is a ${engine} URL (${redactUrl(url)})`, span, `declare it \`${e.role} ${e.name} ${engine} { … }\`, or give it a URL like ${exampleUrl(e.engine)}`));
      continue;
    }
    out.push({ plan: e, url });
  }
  return { endpoints: out, diagnostics };
}

/**
 * Where the URL an endpoint connected with was written: the place to fix a refused connection.
 * The plan only says `env("SOURCE_URL")`; whether the variable or the default was used is known
 * only here, with the environment.
 */
function urlOrigin(plan: EndpointPlan, env: Readonly<Record<string, string | undefined>>): string {
  switch (plan.url.kind) {
    case 'env': {
      const value = env[plan.url.variable];
      return value !== undefined && value !== '' ? `environment variable ${plan.url.variable}` : `the default of env("${plan.url.variable}", …), used because ${plan.url.variable} is not set`;
    }
    case 'literal':
      return `the url setting of ${plan.role} ${plan.name}`;
    default: {
      const never: never = plan.url;
      return never;
    }
  }
}

/** What to check in the URL for a refused connection, and where that URL comes from. */
function connectFailureHint(endpoint: ResolvedEndpoint, err: unknown, env: Readonly<Record<string, string | undefined>>): string {
  const origin = urlOrigin(endpoint.plan, env);
  const dbCode = (err as { dbCode?: unknown }).dbCode;
  const missing = missingDatabaseHint(endpoint, dbCode, origin);
  if (missing) return missing;
  const kind = err instanceof EngineError ? err.kind : undefined;
  switch (kind) {
    case 'auth': return `check the user and password of the URL in ${origin}`;
    case 'connect': return isFileEngine(endpoint.plan.engine) ? `check the path of the URL in ${origin}` : `check that the server is running, and the host and port of the URL in ${origin}`;
    // Nothing in the URL to fix: the database is busy (a SQLite file another process is writing, too many connections).
    case 'transient': return 'the database is busy for now: run the command again once the other work on it is done';
    default: return `check the URL in ${origin}`;
  }
}

/** Engines whose URL names a file or directory: there is no server, host or port to check. */
function isFileEngine(engine: EndpointPlan['engine']): boolean {
  return engine === 'sqlite' || engine === 'pglite';
}

/** A database the URL names but the server does not have: a target's is made by hand, first. */
function missingDatabaseHint(endpoint: ResolvedEndpoint, dbCode: unknown, origin: string): string | undefined {
  // PostgreSQL 3D000 invalid_catalog_name; MySQL 1049 ER_BAD_DB_ERROR.
  if (dbCode !== '3D000' && dbCode !== '1049') return undefined;
  let name = '';
  try {
    name = decodeURIComponent(new URL(endpoint.url).pathname.replace(/^\//, ''));
  } catch {
    return undefined;
  }
  if (!name) return undefined;
  const quoted = dbCode === '1049' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
  return endpoint.plan.role === 'target' ? `create it first: CREATE DATABASE ${quoted}; (apply creates schemas and tables, not the database)` : `check the database name of the URL in ${origin}`;
}

function exampleUrl(engine: string): string {
  switch (engine) {
    case 'postgres':
      return 'postgres://user:password@host:5432/database';
    case 'mysql':
      return 'mysql://user:password@host:3306/database';
    case 'sqlite':
      return 'sqlite:path/to/file.sqlite';
    case 'pglite':
      return 'pglite:path/to/data-directory';
    case 'sqlserver':
      return 'sqlserver://user:password@host:1433/database';
    case 'oracle':
      return 'oracle://user:password@host:1521/service';
    default:
      return `${engine}://…`;
  }
}

export interface OpenConnection {
  readonly endpoint: ResolvedEndpoint;
  readonly connection: EngineConnection;
}

/** Opens every endpoint; on any failure closes what was opened and reports each failure. */
export async function connectAll(
  endpoints: readonly ResolvedEndpoint[],
  poolSize: number,
  env: Readonly<Record<string, string | undefined>>,
  /** The connections only read (ConnectConfig.readOnly). */
  readOnly = false,
): Promise<{ connections: Map<string, OpenConnection>; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const connections = new Map<string, OpenConnection>();
  const results = await Promise.all(
    endpoints.map(async (endpoint) => {
      const engine = findEngine(endpoint.plan.engine);
      if (!engine) return { endpoint, failure: `engine ${endpoint.plan.engine} is not supported by this build yet` };
      // Refused before connecting: a server that is reachable would not make the engine able to play the role.
      const canPlay = endpoint.plan.role === 'target' ? engine.capabilities.canBeTarget : engine.capabilities.canBeSource;
      if (!canPlay) return { endpoint, refused: `${endpoint.plan.engine} cannot be a ${endpoint.plan.role} in this build yet` };
      try {
        const config = connectConfigOf(endpoint, poolSize, env);
        const connection = await engine.connect(readOnly ? { ...config, readOnly: true } : config);
        return { endpoint, connection };
      } catch (err) {
        return { endpoint, failure: describeError(err, [endpoint.url]), hint: connectFailureHint(endpoint, err, env) };
      }
    }),
  );
  for (const r of results) {
    if ('connection' in r && r.connection) connections.set(r.endpoint.plan.name, { endpoint: r.endpoint, connection: r.connection });
    else if ('refused' in r) diagnostics.push(error('DMS3531', `${r.endpoint.plan.role} ${r.endpoint.plan.name}: ${r.refused}`, r.endpoint.plan.url.span, 'see the engine table in README.md for what each engine can be'));
    // Pointed at the plan's `url = …`: the URL, or the variable it names, is what to fix.
    else diagnostics.push(error('DMS5003', `${r.endpoint.plan.role} ${r.endpoint.plan.name}: ${'failure' in r ? r.failure : 'cannot connect'}`, r.endpoint.plan.url.span, 'hint' in r ? r.hint : undefined));
  }
  if (diagnostics.length) {
    await closeAll(connections);
    connections.clear();
  }
  return { connections, diagnostics };
}

/** What an engine needs to connect to a resolved endpoint (connections, change capture). */
export function connectConfigOf(endpoint: ResolvedEndpoint, poolSize: number, env: Readonly<Record<string, string | undefined>>): ConnectConfig {
  return { url: endpoint.url, session: endpoint.plan.session, tls: tlsConfig(endpoint.plan, env), poolSize, applicationName: 'dmsplan', role: endpoint.plan.role };
}

/** TLS files named by the plan (paths, possibly through env()) are read here, never logged. */
function tlsConfig(plan: EndpointPlan, env: Readonly<Record<string, string | undefined>>): ConnectConfig['tls'] {
  const tls = plan.tls;
  if (!tls) return undefined;
  const read = (ref: UrlRef | undefined) => {
    const path = ref ? resolveUrl(ref, env) : undefined;
    return path ? readFileSync(path, 'utf8') : undefined;
  };
  const ca = read(tls.ca);
  const cert = read(tls.cert);
  const key = read(tls.key);
  return { mode: tls.mode, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

export async function closeAll(connections: ReadonlyMap<string, OpenConnection>, mode: ClosingMode = 'now'): Promise<void> {
  await Promise.all([...connections.values()].map((c) => c.connection.close(mode).catch(() => undefined)));
}

/** One line, redacted, no stack: what a user sees of any failure. */
export function describeError(err: unknown, urls: readonly string[]): string {
  const message = err instanceof EngineError ? `${err.message}${err.dbCode ? ` [${err.dbCode}]` : ''}` : err instanceof Error ? err.message : String(err);
  return scrubSecrets(message.split('\n')[0] ?? message, urls);
}
