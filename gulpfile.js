'use strict';
// `gulp build:icons` (run by `npm run build` after tsc): copies node and credential icons, the
// nodes' codex files (.node.json) and the report picture's fonts (core/fonts), next
// to the compiled code in dist/, keeping their paths (nodes/X/x.svg -> dist/nodes/X/x.svg), and
// shared icons from icons/ to dist/icons/. PNGs are binary: gulp 5 reads files as UTF-8 unless
// `encoding: false` is given, which would corrupt them.
const { src, dest, parallel } = require('gulp');

function copy(name, globs) {
	const task = () => src(globs, { base: '.', encoding: false, allowEmpty: true }).pipe(dest('dist'));
	task.displayName = name;
	return task;
}

const nodeIcons = copy('icons:nodes', ['nodes/**/*.{png,svg}']);
const credentialIcons = copy('icons:credentials', ['credentials/**/*.{png,svg}']);
const sharedIcons = copy('icons:shared', ['icons/**/*.svg']);
// The fonts the Activity Report picture is drawn with (core/chart.ts reads them next to itself).
const fonts = copy('fonts', ['core/fonts/*']);
// Codex files (categories, documentation links) must sit next to each built node.
const codex = copy('codex', ['nodes/**/*.node.json']);

exports['build:icons'] = parallel(nodeIcons, credentialIcons, sharedIcons, fonts, codex);
