/**
 * The Activity Report as a picture: an SVG drawn here from one report's figures (the funnel of the
 * customers who entered, and the conversion rates of both groups with their 95 % intervals),
 * rasterized to PNG by resvg compiled to WebAssembly (no native add-on, nothing to build at
 * install) with the DejaVu Sans fonts shipped next to this file (core/fonts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { type ActivityReport, wilson } from './report';

export const CHART_WIDTH = 760;
export const CHART_HEIGHT = 440;

/** Bar colours, one per figure: tests find the bars by them. */
export const CHART_COLORS = {
	entered: '#2563eb',
	converted: '#16a34a',
	codesAssigned: '#d97706',
	codesRedeemed: '#7c3aed',
	control: '#64748b',
} as const;

const TEXT = '#111827';
const MUTED = '#6b7280';
const TRACK = '#f1f5f9';
const GRID = '#e5e7eb';
const LABEL_X = 24;
const BAR_X = 190;
const BAR_WIDTH = 340;
const VALUE_X = BAR_X + BAR_WIDTH + 12;

const escape = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const count = (n: number) => n.toLocaleString('en-US');
const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;
const points = (rate: number) => `${rate > 0 ? '+' : rate < 0 ? '−' : '±'}${Math.abs(rate * 100).toFixed(1)}`;
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function text(x: number, y: number, content: string, { size = 13, color = TEXT, bold = false, anchor = 'start' } = {}): string {
	return `<text x="${x}" y="${y}" font-size="${size}" fill="${color}"${bold ? ' font-weight="bold"' : ''} text-anchor="${anchor}">${escape(content)}</text>`;
}

const rect = (x: number, y: number, width: number, height: number, color: string) =>
	`<rect x="${x}" y="${y}" width="${Math.max(0, width).toFixed(1)}" height="${height}" fill="${color}"/>`;

/** One funnel row: label, a grey track, the bar (value / of of its width) and the figure. */
function funnelRow(y: number, label: string, value: number, of: number, color: string, note?: string): string {
	const width = of > 0 ? (BAR_WIDTH * value) / of : 0;
	return [
		text(LABEL_X, y + 16, label),
		rect(BAR_X, y, BAR_WIDTH, 22, TRACK),
		rect(BAR_X, y, width, 22, color),
		text(VALUE_X, y + 16, count(value), { bold: true }),
		note ? text(VALUE_X + 8 + 8 * count(value).length, y + 16, note, { color: MUTED }) : '',
	].join('');
}

/** The smallest of these axis ends that holds every rate and interval end. */
function axisEnd(values: number[]): number {
	const top = Math.max(...values);
	return [0.02, 0.04, 0.1, 0.2, 0.4, 0.6, 0.8, 1].find((end) => end >= top - 1e-9) ?? 1;
}

/** The report as SVG, CHART_WIDTH x CHART_HEIGHT. */
export function reportSvg(report: ActivityReport): string {
	const { enteredGroup: entered, controlGroup: control, lift } = report;
	const parts: string[] = [rect(0, 0, CHART_WIDTH, CHART_HEIGHT, '#ffffff')];
	parts.push(text(LABEL_X, 36, `Activity report: ${shorten(report.activity, 48)}`, { size: 20, bold: true }));
	parts.push(text(LABEL_X, 58, `${when(report.from)} to ${when(report.to)}; orders within ${report.conversionWindowDays} days of the first entry`, { size: 12, color: MUTED }));

	parts.push(text(LABEL_X, 92, 'Funnel of the customers who entered', { size: 14, bold: true }));
	parts.push(text(CHART_WIDTH - LABEL_X, 92, `held out ${count(report.heldOut)}, skipped ${count(report.skipped)}`, { size: 12, color: MUTED, anchor: 'end' }));
	const share = (part: number, whole: number) => (whole > 0 ? `(${percent(part / whole)})` : undefined);
	parts.push(funnelRow(104, 'Entered', entered.customers, entered.customers, CHART_COLORS.entered));
	parts.push(funnelRow(134, 'Converted', entered.converted, entered.customers, CHART_COLORS.converted, share(entered.converted, entered.customers)));
	parts.push(funnelRow(164, 'Codes assigned', entered.codesAssigned, entered.codesAssigned, CHART_COLORS.codesAssigned));
	parts.push(funnelRow(194, 'Codes redeemed', entered.codesRedeemed, entered.codesAssigned, CHART_COLORS.codesRedeemed, share(entered.codesRedeemed, entered.codesAssigned)));

	parts.push(text(LABEL_X, 254, 'Conversion rate: entered vs control group, 95 % interval', { size: 14, bold: true }));
	const groups = [
		{ label: 'Entered', group: entered, color: CHART_COLORS.entered, y: 268 },
		{ label: 'Control', group: control, color: CHART_COLORS.control, y: 304 },
	].map((g) => ({ ...g, interval: g.group.customers > 0 ? wilson(g.group.converted, g.group.customers) : undefined }));
	const end = axisEnd(groups.flatMap((g) => (g.interval ? [g.group.conversionRate ?? 0, g.interval[1]] : [0])));
	const at = (rate: number) => BAR_X + (BAR_WIDTH * Math.min(rate, end)) / end;
	for (let tick = 0; tick <= 4; tick++) {
		const x = at((end * tick) / 4);
		parts.push(`<line x1="${x}" y1="262" x2="${x}" y2="336" stroke="${GRID}" stroke-width="1"/>`);
		parts.push(text(x, 352, `${((end * tick * 100) / 4).toFixed(end < 0.1 ? 1 : 0)} %`, { size: 11, color: MUTED, anchor: 'middle' }));
	}
	for (const { label, group, color, y, interval } of groups) {
		parts.push(text(LABEL_X, y + 17, `${label} (${count(group.customers)})`));
		if (!interval || group.conversionRate === null) {
			parts.push(text(VALUE_X, y + 17, 'no customers', { color: MUTED }));
			continue;
		}
		parts.push(rect(BAR_X, y, at(group.conversionRate) - BAR_X, 24, color));
		const [low, high] = interval.map(at);
		const mid = y + 12;
		parts.push(`<path d="M${low} ${mid}H${high}M${low} ${mid - 7}V${mid + 7}M${high} ${mid - 7}V${mid + 7}" stroke="${TEXT}" stroke-width="2" fill="none"/>`);
		parts.push(text(VALUE_X, y + 17, percent(group.conversionRate), { bold: true }));
		parts.push(text(VALUE_X + 62, y + 17, `${percent(interval[0])} to ${percent(interval[1])}`, { size: 12, color: MUTED }));
	}

	const liftLine = lift
		? `Lift: ${points(lift.absolute)} percentage points (95 % interval ${points(lift.low)} to ${points(lift.high)})${lift.relative === null ? '' : `, ${points(lift.relative)} % relative`}`
		: 'Lift: needs customers in both groups';
	parts.push(text(LABEL_X, 388, liftLine, { size: 15, bold: true }));
	parts.push(text(LABEL_X, 414, 'Intervals: Wilson score for each rate, Newcombe hybrid score for the lift.', { size: 11, color: MUTED }));
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="DejaVu Sans">${parts.join('')}</svg>`;
}

let ready: Promise<void> | undefined;
let fonts: Uint8Array[] | undefined;

function renderer(): Promise<void> {
	ready ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'))).catch((error: unknown) => {
		ready = undefined;
		throw error;
	});
	fonts ??= ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => readFileSync(join(__dirname, 'fonts', file)));
	return ready;
}

/** SVG to PNG at `scale` times its size (2 for sharp text on high-density screens). */
export async function svgToPng(svg: string, scale = 1): Promise<Buffer> {
	await renderer();
	const resvg = new Resvg(svg, { font: { fontBuffers: fonts!, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: scale } });
	const image = resvg.render();
	try {
		return Buffer.from(image.asPng());
	} finally {
		image.free();
		resvg.free();
	}
}

/** activity-report-<activity>-<from date>.png, with only letters, digits, dots, dashes and underscores. */
export function reportFileName(report: ActivityReport): string {
	return `activity-report-${report.activity}-${report.from.slice(0, 10)}`.replace(/[^\w.-]+/g, '-').slice(0, 120) + '.png';
}

/** The report as a PNG picture. */
export function reportPng(report: ActivityReport, scale = 1): Promise<Buffer> {
	return svgToPng(reportSvg(report), scale);
}
