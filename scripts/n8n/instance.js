'use strict';
// A real n8n for `npm start`, the end-to-end tests and the benchmarks: start/stop an instance
// (process.js), set up its owner and an API key headlessly (owner.js), talk to its public API
// (api.js, workflows for import: workflow.js), install our package the way a user install does
// (package.js), and catch the mail it sends (smtp.js, its page: mail-page.js). Everything
// listens on 127.0.0.1 only.
//
// Facts this relies on (n8n 2.41.1, scripts/n8n/version.js) are noted at each function.

const { ensureN8n } = require('./install.js');
const { startN8n, freePort, portInUse, quietEnv } = require('./process.js');
const { setupOwner, login, apiKeyScopes, createApiKey } = require('./owner.js');
const { N8nApi, N8nApiError, waitForWebhook } = require('./api.js');
const { workflowForApi } = require('./workflow.js');
const { installPackage } = require('./package.js');
const { startSmtpCatcher } = require('./smtp.js');

module.exports = {
	startN8n,
	setupOwner,
	login,
	apiKeyScopes,
	createApiKey,
	N8nApi,
	N8nApiError,
	workflowForApi,
	waitForWebhook,
	installPackage,
	startSmtpCatcher,
	freePort,
	portInUse,
	quietEnv,
	ensureN8n,
};
