#!/usr/bin/env -S node --max-semi-space-size=8
// A young generation of 8 MB semi-spaces instead of V8's default 16 MB. The copy paths that move
// bytes (PostgreSQL → PostgreSQL, MySQL → PostgreSQL) allocate little that lives long: smaller
// semi-spaces cut their peak memory (PG → PG 88 MB at 4, 109 MB at 8, 107–133 MB at 16). The paths
// that decode rows (MySQL targets, SQLite, PGlite) keep a batch of row objects alive across
// scavenges, which 4 MB promoted to the old space: node's CPU for 1M rows MySQL → MySQL was 6.0 s
// at 4, 5.0 s at 8, 4.0 s at 16. Wall time on the bench paths was the same at all three.
// The compiled CLI lives in dist/cli/ (built by `npm run build`, which `npm install`/`npm ci` run via
// `prepare`: tsc, then tools/bundle-cli.mjs bundles it into a few chunks that load faster).
// Node 21+ defines navigator.userAgent; on Node 20, pg probes for Cloudflare by constructing a
// fetch Response instead, which loads Node's whole fetch implementation (~40 ms of every start).
if (globalThis.navigator === undefined) globalThis.navigator = { userAgent: `Node.js/${process.versions.node.split('.')[0]}` };
// React (under the Ink live view) loads its development build unless told otherwise: that build's
// checks cost ~0.25 s of CPU over a 2.5 s apply, on the cores the copy uses.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli/main.js');
// Once the command is done (its connections ended, its output written), leave: waiting for the
// event loop to drain only waits for each server to close its end of a socket already ended
// (~60 ms after a PostgreSQL run). The output is flushed first; a write callback fires once the
// data has left for the terminal, pipe or file.
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
main(process.argv.slice(2)).then(async (code) => {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
});
