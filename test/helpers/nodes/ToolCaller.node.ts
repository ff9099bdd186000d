import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only agent: calls each tool connected to its AI Tool input once, with no arguments, the
 * way n8n's AI Agent calls a node tool, and outputs each tool's answer (parsed JSON) or error.
 */
export class ToolCaller implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Tool Caller (test)',
		name: 'toolCaller',
		group: ['transform'],
		version: 1,
		description: 'Calls its tools',
		defaults: { name: 'Tool Caller' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{ name: string; invoke(args: object): Promise<string> }>;
		const out: INodeExecutionData[] = [];
		for (const tool of tools) {
			try {
				out.push({ json: { tool: tool.name, answer: JSON.parse(await tool.invoke({})) } });
			} catch (error) {
				out.push({ json: { tool: tool.name, error: (error as Error).message } });
			}
		}
		return [out];
	}
}
