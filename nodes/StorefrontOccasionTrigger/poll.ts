import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';
import { InputError } from '../../core/errors';
import { pollOccasions, type OccasionKind, type OccasionOptions } from '../../core/occasions';
import type { TimeUnit } from '../../core/time';
import { nodeClock, openStore } from '../shared/store';

/** Occasions a test run in the editor shows at most. */
export const MANUAL_SAMPLE = 10;

/** The amount + unit parameters of each kind (birthdays have daysBefore). */
const DELAY_PARAMETERS: Partial<Record<OccasionKind, { name: string; displayName: string }>> = {
	'cart.abandoned': { name: 'abandonedAfter', displayName: 'Abandoned After' },
	'customer.no_order_since_registration': { name: 'registeredAfter', displayName: 'Time Since Registration' },
	'customer.lapsed': { name: 'lapsedAfter', displayName: 'No Order For' },
};

/** The node's names for the core's option names, in error messages. */
const FIELD_NAMES: Record<string, string> = {
	zone: 'Time Zone Name or ID',
	daysBefore: 'Days Before Birthday',
	'after.unit': 'Unit',
	limit: 'Max Occasions per Poll',
	kind: 'Occasion',
};

/**
 * What the node remembers between polls (workflow static data): when this occasion kind was first
 * polled while active, so that occasions already due then are not all emitted at once; and up to
 * when it has read what the store learned of since, so that each poll reads only what is new.
 */
interface PollState {
	activation?: { kind: string; at: number };
	known?: number;
}

function pollError(ctx: IPollFunctions, error: unknown, kind: OccasionKind): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const err = error instanceof Error ? error : new Error(String(error));
	let message = err.message;
	const names: Record<string, string> = { ...FIELD_NAMES, 'after.amount': DELAY_PARAMETERS[kind]?.displayName ?? 'Amount' };
	if (error instanceof InputError && names[error.field] && message.startsWith(`${error.field}: `)) {
		message = `${names[error.field]}: ${message.slice(error.field.length + 2)}`;
	}
	return new NodeOperationError(ctx.getNode(), err, { message, description: error instanceof InputError ? error.hint : undefined });
}

/**
 * One poll: the occasions that became due, claimed in the store (so no other poller, restart or
 * overlapping poll emits them again), one item each. In the editor's test run ("Fetch Test
 * Event") a sample of what is due now is returned and nothing is claimed.
 */
export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const now = nodeClock().now();
	const manual = this.getMode() === 'manual';
	const node = this.getNode();
	const kind = this.getNodeParameter('occasion') as OccasionKind;
	const limit = this.getNodeParameter('maxPerPoll', 100) as number;
	const zone = String(this.getNodeParameter('timezone', '') ?? '').trim() || this.getTimezone();
	const options: OccasionOptions = {
		kind,
		// The node id survives renames, so renaming the trigger never re-emits what it emitted.
		consumer: `${this.getWorkflow().id ?? ''}:${node.id}`,
		zone,
		limit: manual ? Math.min(Number(limit) || MANUAL_SAMPLE, MANUAL_SAMPLE) : limit,
		claim: !manual,
	};
	const delay = DELAY_PARAMETERS[kind];
	if (delay) {
		options.after = {
			amount: this.getNodeParameter(delay.name) as number,
			unit: this.getNodeParameter(`${delay.name}Unit`) as TimeUnit,
		};
	} else {
		options.daysBefore = this.getNodeParameter('daysBefore', 0) as number;
	}
	const state = manual ? undefined : (this.getWorkflowStaticData('node') as PollState);
	if (state) {
		if (state.activation?.kind !== kind || typeof state.activation.at !== 'number') {
			state.activation = { kind, at: now };
			delete state.known;
		}
		if (!(this.getNodeParameter('emitAlreadyDue', false) as boolean)) {
			options.since = state.activation.at;
			if (typeof state.known === 'number') options.knownAfter = state.known;
		}
	}

	let occasions;
	try {
		const store = await openStore(this);
		const found = await pollOccasions(store, now, options);
		occasions = found.occasions;
		if (state && found.known !== undefined) state.known = found.known;
	} catch (error) {
		throw pollError(this, error, kind);
	}
	if (occasions.length === 0) {
		if (manual) {
			throw new NodeOperationError(node, 'No occasion of this kind is due right now', {
				description:
					'The store holds no customer, cart or order for which this occasion is due (and not yet started by this trigger). Check that a Storefront Trigger or the Storefront Ledger records into the same store, or try a shorter wait; pin sample data to build the rest of the workflow.',
			});
		}
		return null;
	}
	return [occasions.map((event) => ({ json: event as unknown as IDataObject }))];
}
