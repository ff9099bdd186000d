'use strict';
// The one place that pins the n8n used by `npm start`, the end-to-end tests and the benchmarks.
// 2.41.3 (latest when this was written) does not install from our registry: about 20 exact
// @n8n/* versions it needs are missing there. 2.41.1 resolves.
const N8N_VERSION = '2.41.1';

module.exports = { N8N_VERSION };
