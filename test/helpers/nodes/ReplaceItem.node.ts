import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only stand-in for n8n's Send Email (and HTTP Request, Edit Fields without "include other
 * fields"): each output item holds only what the node produced, `{ accepted, messageId }`, paired
 * with its input item, so the customer of the incoming item is gone. Send Email's `toEmail` and
 * `html` are evaluated and kept under `mail`, for tests that read what was sent, with the binary
 * fields its option `attachments` names (comma separated) under `mail.attachments`.
 */
export class ReplaceItem implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Replace Item (test)',
		name: 'replaceItem',
		group: ['transform'],
		version: 1,
		description: "Replaces each item's JSON, like Send Email",
		defaults: { name: 'Send Email' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'To', name: 'toEmail', type: 'string', default: '' },
			{ displayName: 'HTML', name: 'html', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [{ displayName: 'Attachments', name: 'attachments', type: 'string', default: '' }] },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, itemIndex) => {
				const to = this.getNodeParameter('toEmail', itemIndex) as string;
				const names = String(this.getNodeParameter('options.attachments', itemIndex, '')).split(',').map((name) => name.trim()).filter(Boolean);
				const attachments = names.map((name) => {
					const binary = item.binary?.[name];
					if (!binary) throw new Error(`item ${itemIndex} has no binary field "${name}" to attach`);
					return { name, fileName: binary.fileName, mimeType: binary.mimeType, data: binary.data };
				});
				const mail = { to, html: this.getNodeParameter('html', itemIndex) as string, ...(names.length > 0 && { attachments }) };
				const json: IDataObject = { accepted: [to], messageId: `<m-${itemIndex}@test>`, mail };
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
