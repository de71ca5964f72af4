#!/usr/bin/env node
require('../dist/main/cli.js'); // eslint-disable-line @typescript-eslint/no-require-imports -- a CommonJS shim
