import type { INodeExecutionData, INodePropertyOptions, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { dialogueStoreTest } from '../shared/store';
import { description } from './description';
import { poll } from './poll';

/** The Time Zone list: the workflow's (empty), then every IANA zone this Node.js knows, so a typo cannot be picked. */
export async function timeZones(): Promise<INodePropertyOptions[]> {
	const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
	return [{ name: "The Workflow's Time Zone", value: '' }, ...[...zones].sort().map((zone) => ({ name: zone, value: zone }))];
}

export class StorefrontOccasionTrigger implements INodeType {
	description: INodeTypeDescription = description;

	methods = { credentialTest: { dialogueStoreTest }, loadOptions: { timeZones } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return poll.call(this);
	}
}
