/**
 * One storefront delivery on the n8n side, the same for the Storefront Trigger (n8n calls its
 * webhook) and the Storefront Event (an item of n8n's Webhook node): the node's settings, and the
 * store calls core/trigger.ts makes (record the event, claim the start).
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { Store } from '../../core/store';
import { receiveDelivery, triggerSettings, type Delivery, type TriggerOutcome, type TriggerSettings } from '../../core/trigger';
import { nodeClock } from './store';

/** The settings of a node with the fields of deliveryFields.ts; `parameter` reads one by name. */
export function deliverySettings(
	parameter: (name: string, fallback: unknown) => unknown,
	credential: ICredentialDataDecryptedObject | undefined,
	testMode: boolean,
): TriggerSettings {
	return triggerSettings({
		source: parameter('source', 'auto'),
		acceptUnsigned: parameter('acceptUnsigned', false),
		events: parameter('events', []),
		filters: parameter('filters', {}),
		options: parameter('options', {}),
		credential,
		testMode,
	});
}

/**
 * The claim of a workflow's start for an event, whichever node receives the delivery: an event
 * that started the workflow through its Storefront Trigger is a duplicate for its Storefront
 * Event, and the other way round. Another workflow claims its own start.
 */
export function workflowStart(workflowId: string | undefined): string {
	return `workflow:${workflowId ?? ''}`;
}

/**
 * One delivery through core/trigger.ts. The start is claimed under every consumer given, in one
 * store call, and starts only when each claim is new.
 */
export async function deliver(store: Store, delivery: Omit<Delivery, 'now'>, settings: TriggerSettings, consumers: string[]): Promise<TriggerOutcome> {
	return await receiveDelivery(
		{ ...delivery, now: nodeClock().now() },
		settings,
		async (event) => (await store.recordEvents([event], nodeClock().now()))[0],
		async (event) => {
			const claims = consumers.map((consumer) => ({ consumer, kind: 'trigger.start', customerId: event.customer.id, occurrence: event.id }));
			return (await store.claimOccasions(claims, nodeClock().now())).every(Boolean);
		},
		async (productIds) => await store.productCategories(productIds),
	);
}
