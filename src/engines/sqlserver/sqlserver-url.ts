/**
 * `sqlserver://user:password@host:port/database?encrypt=…&trustServerCertificate=…&instanceName=…`
 * (also `mssql://`) → the connection settings of the mssql driver. Pure. The password is decoded
 * here and handed to the driver only; errors name the URL redacted.
 *
 * Encryption: the URL's `encrypt` and `trustServerCertificate` win; otherwise the endpoint's `tls`
 * block decides (disable → no encryption; prefer/require → encrypted, certificate not checked;
 * verify_ca/verify_full → encrypted and checked); otherwise encrypted and checked (mssql's default).
 */
import type { ConnectConfig } from '../contract.js';
import { EngineError } from '../contract.js';
import { redactUrl } from '../url.js';

export interface SqlServerSettings {
  readonly server: string;
  readonly port: number | undefined;
  readonly database: string | undefined;
  readonly user: string;
  readonly password: string;
  readonly encrypt: boolean;
  readonly trustServerCertificate: boolean;
  readonly instanceName: string | undefined;
}

const TRUE = /^(true|yes|1|on)$/i;
const FALSE = /^(false|no|0|off|disable)$/i;

function flag(value: string | null, name: string, url: string): boolean | undefined {
  if (value === null) return undefined;
  if (TRUE.test(value)) return true;
  if (FALSE.test(value)) return false;
  throw new EngineError(`${redactUrl(url)}: ${name}=${value} is not true or false`, 'connect', undefined, redactUrl(url));
}

export function sqlServerSettingsOf(config: Pick<ConnectConfig, 'url' | 'tls'>): SqlServerSettings {
  const endpoint = redactUrl(config.url);
  let u: URL;
  try {
    u = new URL(config.url.trim().replace(/^mssql:/i, 'sqlserver:'));
  } catch {
    throw new EngineError(`${endpoint} is not a SQL Server URL (sqlserver://user:password@host:1433/database)`, 'connect', undefined, endpoint);
  }
  if (!u.hostname) throw new EngineError(`${endpoint} names no host (sqlserver://user:password@host:1433/database)`, 'connect', undefined, endpoint);
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const database = decode(u.pathname.replace(/^\//, ''));
  const tlsMode = config.tls?.mode;
  const checked = tlsMode === 'verify_ca' || tlsMode === 'verify_full';
  const encrypt = flag(u.searchParams.get('encrypt'), 'encrypt', config.url) ?? (tlsMode === undefined ? true : tlsMode !== 'disable');
  const trust = flag(u.searchParams.get('trustServerCertificate'), 'trustServerCertificate', config.url) ?? (tlsMode === undefined ? false : !checked);
  return {
    server: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : undefined,
    database: database === '' ? undefined : database,
    user: decode(u.username),
    password: decode(u.password),
    encrypt,
    trustServerCertificate: trust,
    instanceName: u.searchParams.get('instanceName') ?? undefined,
  };
}
