/**
 * Settings that used to fail only at publishing, where n8n shows the error in the publication
 * status and its log but not next to the field: the editor offers or flags them first.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { StorefrontOccasionTrigger, timeZones } from '../../nodes/StorefrontOccasionTrigger/StorefrontOccasionTrigger.node';
import { StorefrontTrigger } from '../../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { normalizeZone } from '../../core/time';

describe('settings checked in the editor', () => {
	it("Occasion Trigger: the Time Zone is picked from a list of real zones, so 'Pacific/Aukland' cannot be chosen", async () => {
		const property = new StorefrontOccasionTrigger().description.properties.find((p) => p.name === 'timezone');
		assert.equal(property?.type, 'options');
		assert.equal(property?.typeOptions?.loadOptionsMethod, 'timeZones');
		assert.equal(new StorefrontOccasionTrigger().methods.loadOptions.timeZones, timeZones, 'the node offers this method');
		const values = (await timeZones()).map((option) => option.value);
		assert.equal(values[0], '', "first: the workflow's time zone");
		assert.ok(values.includes('Pacific/Auckland') && values.includes('UTC') && values.includes('Europe/Berlin'));
		assert.ok(!values.includes('Pacific/Aukland'));
		// Every zone offered is one the trigger accepts.
		for (const zone of values.slice(1)) assert.doesNotThrow(() => normalizeZone(zone as string, 'zone'), String(zone));
	});

	it('Storefront Trigger: a Source other than Auto shows a notice that it must match the credential', () => {
		const properties = new StorefrontTrigger().description.properties;
		const notice = properties.find((p) => p.name === 'sourceNotice');
		assert.equal(notice?.type, 'notice');
		assert.match(notice?.displayName ?? '', /must be the source the credential names/);
		assert.deepEqual(notice?.displayOptions, { hide: { source: ['auto'] } });
		assert.ok(properties.findIndex((p) => p.name === 'sourceNotice') === properties.findIndex((p) => p.name === 'source') + 1, 'right below Source');
	});
});
