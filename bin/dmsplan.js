#!/usr/bin/env -S node --max-semi-space-size=4
// A young generation of 4 MB semi-spaces instead of V8's default 16 MB: the copy loops allocate
// little that lives long, so scavenges stay cheap, and the process's peak memory drops by ~45 MB.
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm install`/`npm ci` run via `prepare`).
import { main } from '../dist/src/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
