import { describe, expect, it } from 'vitest';
import { inCi, outputMode, useColor } from '../../src/ui/reporter.js';
import { recordingIO } from './support/fake-io.js';

describe('output mode', () => {
  it('uses --json whatever the terminal', () => {
    expect(outputMode(recordingIO({ tty: true, stream: true }), { json: true })).toBe('json');
  });

  it('uses Ink only on a real TTY stream outside CI', () => {
    expect(outputMode(recordingIO({ tty: true, stream: true }), { json: false })).toBe('ink');
    expect(outputMode(recordingIO({ tty: false, stream: true }), { json: false })).toBe('plain');
    expect(outputMode(recordingIO({ tty: true, stream: true, env: { CI: 'true' } }), { json: false })).toBe('plain');
    expect(outputMode(recordingIO({ tty: true, stream: true, env: { CI: '1' } }), { json: false })).toBe('plain');
    expect(outputMode(recordingIO({ tty: true, stream: true, env: { TERM: 'dumb' } }), { json: false })).toBe('plain');
    // A writer that only claims to be a TTY cannot host Ink (no resize events).
    expect(outputMode(recordingIO({ tty: true, stream: false }), { json: false })).toBe('plain');
  });

  it('reads CI like CI services and Ink do', () => {
    expect(inCi({})).toBe(false);
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({ CI: '0' })).toBe(false);
    expect(inCi({ CI: '' })).toBe(true);
    expect(inCi({ CONTINUOUS_INTEGRATION: 'yes' })).toBe(true);
  });

  it('colours only a TTY without NO_COLOR', () => {
    expect(useColor(recordingIO({ tty: true }))).toBe(true);
    expect(useColor(recordingIO({ tty: false }))).toBe(false);
    expect(useColor(recordingIO({ tty: true, env: { NO_COLOR: '1' } }))).toBe(false);
  });
});
