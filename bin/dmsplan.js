#!/usr/bin/env -S node --max-semi-space-size=4
// A young generation of 4 MB semi-spaces instead of V8's default 16 MB: the copy loops allocate
// little that lives long, so scavenges stay cheap, and the process's peak memory drops by ~45 MB.
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm install`/`npm ci` run via `prepare`).
// Node 21+ defines navigator.userAgent; on Node 20, pg probes for Cloudflare by constructing a
// fetch Response instead, which loads Node's whole fetch implementation (~40 ms of every start).
if (globalThis.navigator === undefined) globalThis.navigator = { userAgent: `Node.js/${process.versions.node.split('.')[0]}` };
// React (under the Ink live view) loads its development build unless told otherwise: that build's
// checks cost ~0.25 s of CPU over a 2.5 s apply, on the cores the copy uses.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/src/cli/main.js');
// Once the command is done (its connections ended, its output written), leave: waiting for the
// event loop to drain only waits for each server to close its end of a socket already ended
// (~60 ms after a PostgreSQL run). The output is flushed first; a write callback fires once the
// data has left for the terminal, pipe or file.
const flushed = (stream) => new Promise((resolve) => stream.write('', resolve));
main(process.argv.slice(2)).then(async (code) => {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
});
