import type { INodePropertyOptions } from 'n8n-workflow';

export type Unit = 'minutes' | 'hours' | 'days' | 'weeks' | 'months' | 'years';

/** Dropdown options for time units, in n8n's alphabetical option order. */
export function unitOptions(units: readonly Unit[]): INodePropertyOptions[] {
	return units
		.map((unit) => ({ name: unit.charAt(0).toUpperCase() + unit.slice(1), value: unit }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
