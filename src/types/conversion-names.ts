/**
 * The names a plan may write after `using`. Each is implemented in src/types/conversions/ and
 * documented in docs/type-mapping.md. Kept in this small file so that the language front end can
 * check names without loading the conversions themselves.
 */
export const CONVERSION_NAMES = [
  'none',
  'zero_dates_to_null',
  'int_to_boolean',
  'bit_to_boolean',
  'time_to_interval',
  'set_to_array',
  'array_to_json',
  'interval_to_time',
  'timestamptz_to_utc',
  'uuid_to_text',
  'to_text',
  'json_to_text',
  'cast',
] as const;

export type ConversionName = (typeof CONVERSION_NAMES)[number];

export function isConversionName(name: string): name is ConversionName {
  return (CONVERSION_NAMES as readonly string[]).includes(name);
}
