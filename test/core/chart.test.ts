/**
 * The Activity Report picture: a PNG that decodes (signature, chunk CRCs, IHDR, row filters; read
 * by test/helpers/png.ts, not by the renderer), whose bars are as long as the figures say.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { CHART_COLORS, CHART_HEIGHT, CHART_WIDTH, reportPng, reportSvg } from '../../core/chart';
import { reportOf } from '../../core/report';
import type { ActivityGroupRow, ActivityReportQuery } from '../../core/store';
import { decodePng, pixelsOf, PNG_SIGNATURE } from '../helpers/png';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const query: ActivityReportQuery = { activity: 'welcome', from: T0, to: T0 + 7 * DAY, windowMs: 14 * DAY };
const group = (row: Partial<ActivityGroupRow>): ActivityGroupRow => ({ customers: 0, entries: 0, converted: 0, orders: [], codesAssigned: 0, codesRedeemed: 0, ...row });

function sample(converted: number, redeemed: number, activity = 'welcome') {
	return reportOf(
		{
			activity,
			skipped: 3,
			entered: group({ customers: 100, entries: 100, converted, codesAssigned: 80, codesRedeemed: redeemed, orders: [{ currency: 'EUR', orders: converted, amountMinor: BigInt(converted) * 2500n }] }),
			control: group({ customers: 20, entries: 20, converted: 2 }),
		},
		query,
	);
}

describe('activity report picture', () => {
	it('is a PNG of the chart size, twice that at scale 2', async () => {
		const png = await reportPng(sample(30, 20));
		assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
		assert.equal(png.toString('latin1', 12, 16), 'IHDR');
		assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [CHART_WIDTH, CHART_HEIGHT]);
		const image = decodePng(png);
		assert.deepEqual([image.width, image.height], [CHART_WIDTH, CHART_HEIGHT]);
		const sharp = decodePng(await reportPng(sample(30, 20), 2));
		assert.deepEqual([sharp.width, sharp.height], [2 * CHART_WIDTH, 2 * CHART_HEIGHT]);
	});

	it('draws bars as long as the figures: five times the conversions, five times the bar', async () => {
		const few = decodePng(await reportPng(sample(10, 8)));
		const many = decodePng(await reportPng(sample(50, 40)));
		const ratio = (hex: string) => pixelsOf(many, hex) / pixelsOf(few, hex);
		assert.ok(pixelsOf(few, CHART_COLORS.converted) > 0 && pixelsOf(few, CHART_COLORS.codesRedeemed) > 0);
		assert.ok(Math.abs(ratio(CHART_COLORS.converted) - 5) < 0.2, `converted bar ratio ${ratio(CHART_COLORS.converted)}`);
		assert.ok(Math.abs(ratio(CHART_COLORS.codesRedeemed) - 5) < 0.2, `redeemed bar ratio ${ratio(CHART_COLORS.codesRedeemed)}`);
		// Entered (the whole funnel) and codes assigned fill their tracks either way.
		assert.equal(pixelsOf(many, CHART_COLORS.codesAssigned), pixelsOf(few, CHART_COLORS.codesAssigned));
		assert.ok(pixelsOf(few, CHART_COLORS.control) > 0);
	});

	it('draws no bars for an activity nobody entered, and says so', async () => {
		const empty = reportOf({ activity: 'nothing-yet', skipped: 0, entered: group({}), control: group({}) }, query);
		const image = decodePng(await reportPng(empty));
		for (const color of Object.values(CHART_COLORS)) assert.equal(pixelsOf(image, color), 0, color);
		const svg = reportSvg(empty);
		assert.equal(svg.match(/no customers/g)?.length, 2);
		assert.match(svg, /Lift: needs customers in both groups/);
	});

	it('escapes the activity name and states the lift with its interval', async () => {
		const report = sample(30, 20, 'a <b> & "c"');
		const svg = reportSvg(report);
		assert.match(svg, /Activity report: a &#60;b&#62; &#38; &#34;c&#34;</);
		assert.ok(!svg.includes('<b>'));
		const { lift } = report;
		const pts = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v * 100).toFixed(1)}`;
		assert.ok(svg.includes(`Lift: ${pts(lift!.absolute)} percentage points (95 % interval ${pts(lift!.low)} to ${pts(lift!.high)})`), svg);
		decodePng(await reportPng(report));
	});
});
