/**
 * Session settings every PostgreSQL-family connection runs with: what the COPY text codec relies on
 * (UTC timestamps with offsets, ISO dates, `postgres` intervals — the canonical form — exact
 * floats, hex bytea, standard strings).
 */
export const POSTGRES_SESSION_SETTINGS: readonly { readonly name: string; readonly value: string }[] = [
  { name: 'TimeZone', value: 'UTC' },
  { name: 'DateStyle', value: 'ISO, YMD' },
  { name: 'IntervalStyle', value: 'postgres' },
  { name: 'extra_float_digits', value: '3' },
  { name: 'bytea_output', value: 'hex' },
  { name: 'standard_conforming_strings', value: 'on' },
  { name: 'client_encoding', value: 'UTF8' },
];
