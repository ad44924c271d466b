import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../src/engines/contract.js';
import { oracleError, parseOracleUrl } from '../../../src/engines/oracle/oracle-driver.js';

const endpoint = 'oracle://app:***@db:1521/FREEPDB1';

describe('Oracle URLs and errors', () => {
  it('reads user, password, host, port and service; TCPS when TLS is required', () => {
    expect(parseOracleUrl('oracle://app:s%40cret@db/FREEPDB1', endpoint, undefined)).toEqual({ user: 'app', password: 's@cret', connectString: 'db:1521/FREEPDB1', service: 'FREEPDB1' });
    expect(parseOracleUrl('oracle://app:pw@db:2484/svc.example.com', endpoint, { mode: 'require' }).connectString).toBe('tcps://db:2484/svc.example.com');
    expect(parseOracleUrl('oracle://app:pw@db:1521/svc', endpoint, { mode: 'prefer' }).connectString).toBe('db:1521/svc');
  });

  it('takes a password that is not valid percent-encoding as it is, instead of failing with "URI malformed"', () => {
    expect(parseOracleUrl('oracle://app:50%off@db:1521/svc', endpoint, undefined).password).toBe('50%off');
  });

  it('refuses a URL without a service, naming the endpoint only in its redacted form', () => {
    const err = (() => {
      try {
        parseOracleUrl('oracle://app:s3cretpw@db:1521', 'oracle://app:***@db:1521', undefined);
      } catch (e) {
        return e as EngineError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(EngineError);
    expect(err!.message).toBe('oracle://app:***@db:1521 names no host or service: write oracle://user:password@host:1521/service');
  });

  it('classifies driver errors: a wrong password, a listener that does not answer, a transient failure', () => {
    expect(oracleError(Object.assign(new Error('ORA-01017: invalid credential or not authorized; logon denied'), { errorNum: 1017, code: 'ORA-01017' }), endpoint)).toMatchObject({ kind: 'auth', dbCode: 'ORA-01017' });
    expect(oracleError(Object.assign(new Error('NJS-503: connection to host db port 1521 could not be established.\nmore'), { code: 'NJS-503' }), endpoint)).toMatchObject({ kind: 'connect', message: `${endpoint}: NJS-503: connection to host db port 1521 could not be established.` });
    expect(oracleError(Object.assign(new Error('ORA-12514: listener does not currently know of service'), { errorNum: 12514 }), endpoint)).toMatchObject({ kind: 'connect', dbCode: 'ORA-12514' });
    expect(oracleError(Object.assign(new Error('ORA-08177: can\'t serialize access'), { errorNum: 8177 }), endpoint).kind).toBe('transient');
    expect(oracleError(Object.assign(new Error('ORA-01555: snapshot too old'), { errorNum: 1555 }), endpoint).kind).toBe('query');
  });
});
