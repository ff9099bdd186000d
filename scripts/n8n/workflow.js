'use strict';
// Workflows (e.g. editor exports) as the public API accepts them for import.

/** Writable workflow fields of the public API's `workflow` schema (2.41.1; additionalProperties: false). */
const WORKFLOW_FIELDS = ['name', 'description', 'nodes', 'connections', 'nodeGroups', 'settings', 'staticData', 'pinData'];
/** Keys of its `workflowSettings` schema (also additionalProperties: false). */
const WORKFLOW_SETTINGS = [
	'saveExecutionProgress',
	'saveManualExecutions',
	'saveDataErrorExecution',
	'saveDataSuccessExecution',
	'executionTimeout',
	'errorWorkflow',
	'timezone',
	'executionOrder',
	'binaryMode',
	'callerPolicy',
	'callerIds',
	'timeSavedMode',
	'timeSavedPerExecution',
	'redactionPolicy',
	'availableInMCP',
	'customTelemetryTags',
	'credentialResolverId',
];

/** A workflow (e.g. an editor export) reduced to what POST /api/v1/workflows accepts. */
function workflowForApi(workflow) {
	const body = {};
	for (const k of WORKFLOW_FIELDS) if (workflow[k] !== undefined && workflow[k] !== null) body[k] = workflow[k];
	const settings = {};
	for (const k of WORKFLOW_SETTINGS) if (workflow.settings && workflow.settings[k] !== undefined) settings[k] = workflow.settings[k];
	body.settings = settings;
	body.connections = body.connections ?? {};
	return body;
}

module.exports = { workflowForApi };
