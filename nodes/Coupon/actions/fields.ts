import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { parseDiscount, type Discount } from '../../../core/coupons';
import { InputError } from '../../../core/errors';
import { instantIn, parseInstant } from '../../../core/time';

/** Shows a field for the given operations only. */
export const forOperations = (...operation: string[]): INodeProperties['displayOptions'] => ({ show: { operation } });

/** Discount and validity carried with each generated or imported code. */
export function discountFields(operation: string): INodeProperties[] {
	const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: [operation], ...extra } });
	return [
		{
			displayName: 'Discount',
			name: 'discountKind',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'The codes carry no discount information' },
				{ name: 'Percent', value: 'percent', description: 'A percentage off the order' },
				{ name: 'Fixed Amount', value: 'fixed', description: 'An amount off the order, in a currency' },
			],
			default: 'none',
			description: 'What the codes are worth. Stored with each code and put on the item when a code is assigned, e.g. for the email text.',
			displayOptions: show(),
		},
		{
			displayName: 'Discount Value',
			name: 'discountValue',
			type: 'string',
			default: '',
			placeholder: 'e.g. 20',
			description: 'Percent (more than 0, at most 100) or amount (e.g. 12.50), depending on Discount',
			displayOptions: show({ discountKind: ['percent', 'fixed'] }),
		},
		{
			displayName: 'Currency',
			name: 'currency',
			type: 'string',
			default: '',
			placeholder: 'e.g. EUR',
			description: 'ISO 4217 code. Needed for a fixed amount; for a percentage only if a minimum order is set.',
			displayOptions: show({ discountKind: ['percent', 'fixed'] }),
		},
		{
			displayName: 'Minimum Order',
			name: 'minimumOrder',
			type: 'string',
			default: '',
			placeholder: 'e.g. 50',
			description: 'Order amount the code needs; empty for none',
			displayOptions: show({ discountKind: ['percent', 'fixed'] }),
		},
		{
			displayName: 'Valid Until',
			name: 'validUntil',
			type: 'dateTime',
			default: '',
			description: "Codes are not handed out after this instant. A date without a UTC offset is read in the workflow's time zone. Empty: no end.",
			displayOptions: show(),
		},
	];
}

/** The discount fields of one item, validated. */
export function readDiscount(ctx: IExecuteFunctions, itemIndex: number): Discount {
	const kind = ctx.getNodeParameter('discountKind', itemIndex, 'none');
	if (kind === 'none') return {};
	return parseDiscount({
		kind,
		value: ctx.getNodeParameter('discountValue', itemIndex, ''),
		currency: ctx.getNodeParameter('currency', itemIndex, '') || undefined,
		minimumOrder: ctx.getNodeParameter('minimumOrder', itemIndex, ''),
	});
}

/** The Valid Until field as epoch ms (without an offset: in the workflow's time zone), or undefined when empty. */
export function readValidUntil(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const value = ctx.getNodeParameter('validUntil', itemIndex, '');
	return value === '' || value === undefined || value === null ? undefined : parseInstant(instantIn(value, ctx.getTimezone()), 'validUntil');
}

/** A resource locator's value as text ('' when empty). */
export function locatorValue(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	return ctx.getNodeParameter(name, itemIndex, '', { extractValue: true });
}

/** What to change, in the editor's words, for the core's checks that name a field. */
const FIELD_HINTS: Record<string, string> = {
	count: 'Set Count to a whole number from 1 to 100,000.',
	length: 'Set Random Characters to a whole number from 4 to 32.',
	lowStockThreshold: 'Set Low-Stock Threshold to a whole number of 0 or more, or remove the option.',
	discountValue: 'A percentage is more than 0 and at most 100, e.g. 20; a fixed amount is a decimal such as 12.50.',
	discountKind: 'Pick None, Percent or Fixed Amount.',
	assignment: 'Pick One Code per Customer or A New Code Each Time.',
	expiryUnit: 'Pick a unit: minutes, hours, days, weeks, months or years.',
};

/** Gives an InputError the node's wording for its field (it becomes the error's description). */
export function withFieldHint(error: unknown): unknown {
	if (error instanceof InputError && FIELD_HINTS[error.field]) {
		(error as { hint?: string }).hint = FIELD_HINTS[error.field];
	}
	return error;
}

/** Runs a validation, giving its InputError a hint when the core gave none. */
export function hinted<T>(validate: () => T): T {
	try {
		return validate();
	} catch (error) {
		throw withFieldHint(error);
	}
}
