#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm run build`, which `npm install`/`npm ci` run via `prepare`).
import { main } from '../dist/src/cli/main.js';
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
