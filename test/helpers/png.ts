/**
 * A small PNG reader for tests: checks the signature and every chunk's CRC, reads IHDR, inflates
 * the IDAT stream and undoes the row filters. 8-bit RGB or RGBA, not interlaced (what resvg
 * writes); anything else is refused.
 */
import { crc32, inflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface DecodedPng {
	width: number;
	height: number;
	/** RGBA, 4 bytes a pixel, row after row. */
	pixels: Buffer;
}

export function decodePng(png: Buffer): DecodedPng {
	if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: wrong signature');
	let offset = 8;
	let header: { width: number; height: number; depth: number; colour: number; interlace: number } | undefined;
	const data: Buffer[] = [];
	for (;;) {
		const length = png.readUInt32BE(offset);
		const type = png.toString('latin1', offset + 4, offset + 8);
		const body = png.subarray(offset + 8, offset + 8 + length);
		if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(offset + 8 + length)) throw new Error(`bad CRC in ${type}`);
		offset += 12 + length;
		if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), depth: body[8], colour: body[9], interlace: body[12] };
		else if (type === 'IDAT') data.push(body);
		else if (type === 'IEND') break;
	}
	if (!header) throw new Error('no IHDR');
	const { width, height, depth, colour, interlace } = header;
	if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
	const channels = colour === 6 ? 4 : 3;
	const raw = inflateSync(Buffer.concat(data));
	const stride = width * channels;
	if (raw.length !== height * (stride + 1)) throw new Error(`image data is ${raw.length} bytes, not ${height * (stride + 1)}`);
	const rows = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		for (let x = 0; x < stride; x++) {
			const value = raw[y * (stride + 1) + 1 + x];
			const a = x >= channels ? rows[y * stride + x - channels] : 0;
			const b = y > 0 ? rows[(y - 1) * stride + x] : 0;
			const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
			const p = a + b - c;
			const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
			const predicted = [0, a, b, (a + b) >> 1, paeth][filter];
			if (predicted === undefined) throw new Error(`unknown filter ${filter} in row ${y}`);
			rows[y * stride + x] = (value + predicted) & 0xff;
		}
	}
	if (channels === 4) return { width, height, pixels: rows };
	const pixels = Buffer.alloc(width * height * 4, 0xff);
	for (let i = 0; i < width * height; i++) rows.copy(pixels, i * 4, i * 3, i * 3 + 3);
	return { width, height, pixels };
}

/** How many pixels have exactly this colour (#rrggbb), fully opaque. */
export function pixelsOf({ pixels }: DecodedPng, hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
	let n = 0;
	for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === r && pixels[i + 1] === g && pixels[i + 2] === b && pixels[i + 3] === 255) n++;
	return n;
}
