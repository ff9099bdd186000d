#!/usr/bin/env node
'use strict';
// Writes docs/report-example.png, the Activity Report picture of a sample report, from the built
// package: run `npm run build` first.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { reportOf } = require(path.join(root, 'dist/core/report.js'));
const { reportPng } = require(path.join(root, 'dist/core/chart.js'));

const from = Date.parse('2026-03-02T00:00:00Z');
const DAY = 86_400_000;
const report = reportOf(
	{
		activity: 'welcome-coupon',
		skipped: 57,
		entered: { customers: 1840, entries: 1902, converted: 331, orders: [{ currency: 'EUR', orders: 388, amountMinor: 2_145_030n }], codesAssigned: 1840, codesRedeemed: 262 },
		control: { customers: 204, entries: 204, converted: 24, orders: [{ currency: 'EUR', orders: 27, amountMinor: 151_200n }], codesAssigned: 0, codesRedeemed: 0 },
	},
	{ activity: 'welcome-coupon', from, to: from + 7 * DAY, windowMs: 14 * DAY },
);
reportPng(report).then((png) => {
	const file = path.join(root, 'docs', 'report-example.png');
	fs.writeFileSync(file, png);
	console.log(`${path.relative(root, file)}: ${png.length} bytes`);
});
