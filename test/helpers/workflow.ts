/**
 * Runs workflow JSON through the real n8n engine (n8n-core's WorkflowExecute) in this process:
 * no server, no database, no task runner. Nodes get real execute contexts, so parameters
 * (expressions included), pairedItem, credentials and static data behave as in n8n.
 *
 *   const result = await runWorkflow({
 *     nodes: [{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: '[...]' } }, ...],
 *     connections: connect(['Source', 'Gate'], ['Gate', 'Yes', 0], ['Gate', 'No', 1]),
 *     nodeTypes: nodeTypesOf(new ItemsSource(), new TwoWay()),
 *     credentials: { dialogueStoreApi: { url: 'sqlite:///tmp/x.db' } },
 *   });
 *   result.status; result.outputItems('Gate', 1);
 *
 * Expressions are evaluated in this process either way; n8n's task runner only runs Code nodes.
 * n8n-workflow has two engines: "legacy" (its default when nobody initializes one) and "vm" (an
 * isolated-vm isolate in the same process; n8n 2.x servers default to it through
 * N8N_EXPRESSION_ENGINE). The harness starts the engine n8n uses, "vm", unless
 * N8N_EXPRESSION_ENGINE=legacy is set or a test calls useExpressionEngine().
 */
import './n8n-env';

import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Expression,
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';
import type {
	ExecutionError,
	ExecutionStatus,
	ICredentialDataDecryptedObject,
	ICredentials,
	IConnections,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IRunData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** Our package's node types are `<package name>.<node name>` once n8n loads the package. */
export const PACKAGE_NAME = 'n8n-nodes-dialogue-activities';
export const packageNodeType = (name: string): string => `${PACKAGE_NAME}.${name}`;
/** Test-only nodes (test/helpers/nodes/) live under their own prefix. */
export const testNodeType = (name: string): string => `test.${name}`;

type AnyNodeType = INodeType | IVersionedNodeType;

/** An INodeTypes over a map of full type name -> node class instance. */
export class MapNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, AnyNodeType>) {}

	getByName(type: string): AnyNodeType {
		const nodeType = this.types[type];
		if (!nodeType) {
			throw new Error(`Unknown node type "${type}"; registered: ${Object.keys(this.types).join(', ')}`);
		}
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/**
 * Registers node instances under their description name: test-only nodes (whose class sets
 * `testOnly`) as `test.<name>`, all others as `n8n-nodes-dialogue-activities.<name>`.
 */
export function nodeTypesOf(...instances: AnyNodeType[]): Record<string, AnyNodeType> {
	const map: Record<string, AnyNodeType> = {};
	for (const instance of instances) {
		const { name } = instance.description;
		map[(instance as { testOnly?: boolean }).testOnly ? testNodeType(name) : packageNodeType(name)] = instance;
	}
	return map;
}

/** Credentials by type name; what `this.getCredentials(type)` returns in a node. */
export type CredentialsByType = Record<string, ICredentialDataDecryptedObject>;

/** The part of n8n's credentials helper that node execution uses, over plain data. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly byType: CredentialsByType) {
		super();
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.byType[type];
		if (!data) throw new Error(`runWorkflow: no credentials of type "${type}" were given`);
		return structuredClone(data);
	}

	/**
	 * The shop credentials applied as n8n-nodes-base declares them: Shopify Access Token API a
	 * header; WooCommerce API request-style auth ({ user, password }, read only by the request
	 * helper), or consumer_key/consumer_secret in the query when includeCredentialsInQuery is on and
	 * the request has a query. Other types as given.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, type: string, options: IHttpRequestOptions) {
		if (type === 'shopifyAccessTokenApi') return { ...options, headers: { ...options.headers, 'X-Shopify-Access-Token': credentials.accessToken as string } };
		if (type === 'wooCommerceApi') {
			if (credentials.includeCredentialsInQuery === true && options.qs) {
				return { ...options, qs: { ...options.qs, consumer_key: credentials.consumerKey, consumer_secret: credentials.consumerSecret } };
			}
			return { ...options, auth: { user: credentials.consumerKey, password: credentials.consumerSecret } as unknown as IHttpRequestOptions['auth'] };
		}
		return options;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}

	async getCredentials(_details: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		throw new Error(`runWorkflow: getCredentials("${type}") (OAuth token storage) is not supported`);
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}
}

export type ExpressionEngineName = 'vm' | 'legacy';

let vmEngineStarted: Promise<void> | undefined;
let selectedEngine: ExpressionEngineName | undefined;

/**
 * Selects the expression engine for the following runs (process-wide; never call it while a
 * workflow runs). "vm" is started once, with n8n's default settings.
 */
export async function useExpressionEngine(engine: ExpressionEngineName): Promise<void> {
	if (engine === 'vm') {
		vmEngineStarted ??= Expression.initExpressionEngine({
			engine: 'vm',
			bridgeTimeout: 5000,
			bridgeMemoryLimit: 128,
			poolSize: 1,
			maxCodeCacheSize: 1024,
		});
		await vmEngineStarted;
	}
	Expression.setExpressionEngine(engine);
	selectedEngine = engine;
}

function engineFromEnvironment(): ExpressionEngineName {
	const engine = process.env.N8N_EXPRESSION_ENGINE ?? 'vm';
	if (engine !== 'vm' && engine !== 'legacy') {
		throw new Error(`runWorkflow: N8N_EXPRESSION_ENGINE must be vm or legacy, not "${engine}"`);
	}
	return engine;
}

/** A workflow node as written in tests: everything but name and type may be left out. */
export type TestNode = Pick<INode, 'name' | 'type'> & Partial<INode>;

export interface RunWorkflowOptions {
	nodes: TestNode[];
	connections: IConnections;
	nodeTypes: Record<string, AnyNodeType>;
	credentials?: CredentialsByType;
	staticData?: IDataObject;
	/** Default: the one enabled node without incoming connections. */
	startNode?: string;
	/** Items the start node receives. Default: one empty item. */
	input?: INodeExecutionData[];
	mode?: WorkflowExecuteMode;
	/** Merged over { executionOrder: 'v1', timezone: 'UTC' }. */
	settings?: IWorkflowSettings;
}

export interface WorkflowResult {
	status: ExecutionStatus;
	/** The workflow-level error (a node's error when it stopped the run). */
	error?: ExecutionError;
	runData: IRunData;
	/** Node names in the order they finished. */
	executionOrder: string[];
	/** Static data after the run (what the engine would persist). */
	staticData: IDataObject;
	run: IRun;
	/** Whether the node ran at least once. */
	ran(nodeName: string): boolean;
	/** Items the node emitted on an output (default 0) in its last run (or runIndex). */
	outputItems(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** Output 0 of the node's last run; the last node executed when no name is given. */
	lastNodeItems(nodeName?: string): INodeExecutionData[];
	/** The error of the node's last run, if it failed. */
	nodeError(nodeName: string): ExecutionError | undefined;
}

/** IConnections from [from, to, fromOutput = 0, toInput = 0] tuples (main connections). */
export function connect(...links: Array<[string, string, number?, number?]>): IConnections {
	const connections: IConnections = {};
	for (const [from, to, output = 0, input = 0] of links) {
		const outputs = (connections[from] ??= { [NodeConnectionTypes.Main]: [] })[NodeConnectionTypes.Main];
		while (outputs.length <= output) outputs.push([]);
		(outputs[output] ??= []).push({ node: to, type: NodeConnectionTypes.Main, index: input });
	}
	return connections;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowResult> {
	if (!selectedEngine) await useExpressionEngine(engineFromEnvironment());
	const nodeTypes = new MapNodeTypes(options.nodeTypes);
	const credentials = options.credentials ?? {};
	const nodes = options.nodes.map((node, index) => completeNode(node, index, nodeTypes, credentials));
	const settings: IWorkflowSettings = { executionOrder: 'v1', timezone: 'UTC', ...options.settings };
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		nodeTypes,
		staticData: structuredClone(options.staticData ?? {}),
		settings,
		active: false,
	});

	const startNode = workflow.getNode(options.startNode ?? findStartNode(workflow));
	if (!startNode) throw new Error(`runWorkflow: no node named "${options.startNode}"`);

	const mode = options.mode ?? 'manual';
	const executionId = randomUUID();
	const workflowData = { id: workflow.id, name: workflow.name, nodes, connections: options.connections, settings, active: false } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executionOrder.push(nodeName);
	});

	// A plain object (no mock) with what node execution reads; the services a test-only run
	// cannot offer throw when a node reaches for them.
	const unsupported = (what: string) => () => {
		throw new Error(`runWorkflow: ${what} is not supported in-process`);
	};
	const additionalData = {
		hooks,
		executionId,
		credentialsHelper: new TestCredentialsHelper(credentials),
		executeWorkflow: unsupported('executing a sub-workflow'),
		getRunExecutionData: unsupported('reading another execution'),
		getRuntimeCredential: unsupported('runtime credentials'),
		startRunnerTask: unsupported('the task runner (Code node)'),
		logAiEvent: () => undefined,
		currentNodeExecutionIndex: 0,
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.input ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	return toResult(run, executionOrder, workflow.staticData);
}

function completeNode(node: TestNode, index: number, nodeTypes: MapNodeTypes, credentials: CredentialsByType): INode {
	// A versioned node names its default version; a plain one its version(s): take the newest.
	const { description } = nodeTypes.getByName(node.type);
	const version = 'version' in description ? description.version : 1;
	const typeVersion =
		node.typeVersion ?? description.defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : version);
	const complete: INode = {
		id: node.id ?? randomUUID(),
		position: node.position ?? [index * 220, 0],
		parameters: node.parameters ?? {},
		...node,
		typeVersion,
	};
	// Attach the given credentials to nodes that declare their type (a workflow exported from
	// n8n carries these references already).
	const declared = nodeTypes.getByNameAndVersion(node.type, typeVersion).description.credentials ?? [];
	for (const { name } of declared) {
		if (credentials[name] && !complete.credentials?.[name]) {
			complete.credentials = { ...complete.credentials, [name]: { id: `test-${name}`, name } };
		}
	}
	return complete;
}

function findStartNode(workflow: Workflow): string {
	const starts = Object.values(workflow.nodes)
		.filter((node) => !node.disabled && workflow.getParentNodes(node.name).length === 0)
		.map((node) => node.name);
	if (starts.length !== 1) {
		throw new Error(`runWorkflow: pass startNode, found ${starts.length} candidates: ${starts.join(', ')}`);
	}
	return starts[0];
}

function toResult(run: IRun, executionOrder: string[], staticData: IDataObject): WorkflowResult {
	const { runData, error, lastNodeExecuted } = run.data.resultData;
	const taskOf = (nodeName: string, runIndex?: number) => {
		const runs = runData[nodeName];
		if (!runs?.length) {
			throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(runData).join(', ') || 'none'}`);
		}
		return runs[runIndex ?? runs.length - 1];
	};
	const outputItems = (nodeName: string, outputIndex = 0, runIndex?: number) =>
		taskOf(nodeName, runIndex).data?.[NodeConnectionTypes.Main]?.[outputIndex] ?? [];
	// The engine hands back an observable proxy with a change flag: return plain JSON.
	const { __dataChanged: _changed, ...cleanStaticData } = JSON.parse(JSON.stringify(staticData)) as IDataObject;
	return {
		status: run.status,
		error,
		runData,
		executionOrder,
		staticData: cleanStaticData,
		run,
		ran: (nodeName) => (runData[nodeName]?.length ?? 0) > 0,
		outputItems,
		lastNodeItems: (nodeName) => {
			const name = nodeName ?? lastNodeExecuted;
			if (!name) throw new Error('No node ran');
			return outputItems(name);
		},
		nodeError: (nodeName) => taskOf(nodeName).error,
	};
}
