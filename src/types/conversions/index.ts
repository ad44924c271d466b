/** Every named conversion, by name. Exhaustive over CONVERSION_NAMES (the compiler checks it). */
import type { ConversionName } from '../conversion-names.js';
import { arrayToJson } from './array-to-json.js';
import { bitToBoolean } from './bit-to-boolean.js';
import { cast } from './cast.js';
import type { ConversionDefinition } from './definition.js';
import { intToBoolean } from './int-to-boolean.js';
import { intervalToTime } from './interval-to-time.js';
import { jsonToText } from './json-to-text.js';
import { none } from './none.js';
import { setToArray } from './set-to-array.js';
import { timeToInterval } from './time-to-interval.js';
import { timestamptzToUtc } from './timestamptz-to-utc.js';
import { toText } from './to-text.js';
import { uuidToText } from './uuid-to-text.js';
import { zeroDatesToNull } from './zero-dates-to-null.js';

export const CONVERSIONS: Readonly<Record<ConversionName, ConversionDefinition>> = {
  none,
  zero_dates_to_null: zeroDatesToNull,
  int_to_boolean: intToBoolean,
  bit_to_boolean: bitToBoolean,
  time_to_interval: timeToInterval,
  set_to_array: setToArray,
  array_to_json: arrayToJson,
  interval_to_time: intervalToTime,
  timestamptz_to_utc: timestamptzToUtc,
  uuid_to_text: uuidToText,
  to_text: toText,
  json_to_text: jsonToText,
  cast,
};

export type { ConversionDefinition } from './definition.js';
