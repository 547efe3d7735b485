#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * check-report.js: open a sockvet HTML report in headless Chromium, as a
 * person would, and check it. No npm: Chromium is started with
 * --remote-debugging-pipe and spoken to over fds 3 (our commands) and 4
 * (its replies and events), DevTools protocol messages as JSON, each
 * ended by a NUL byte.
 *
 *   node check-report.js REPORT.html [--png OUT.png] [--dark-png OUT.png]
 *        [--pdf OUT.pdf] [--min-plots N] [--expect TEXT] [--timeout SEC]
 *        [--chromium PATH]
 *
 * Fails (exit 1) on: a console error or an uncaught exception; any
 * network request but the file itself and data: URLs; no verdict text
 * (or not TEXT); a plot whose <svg> does not draw as many non-empty
 * series paths as its data-series says, or without its legend; fewer
 * than N plots; an src/href to anything but #anchors and data:; dark
 * mode not dark; print media not light, the nav shown, a table wider
 * than the page, a plot that lost its size; an empty PDF. Prints a JSON
 * summary on stdout. Exit 2: could not run the browser (or timed out).
 * Chromium is killed (its whole process group) on every exit.
 */
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function parseArgs(argv) {
	const a = { timeout: 40, minPlots: 0, chromium: '/usr/bin/chromium' };
	const names = { '--png': 'png', '--dark-png': 'darkPng', '--pdf': 'pdf', '--min-plots': 'minPlots',
		'--expect': 'expect', '--timeout': 'timeout', '--chromium': 'chromium' };
	for (let i = 0; i < argv.length; i++) {
		if (names[argv[i]] && i + 1 < argv.length) a[names[argv[i]]] = argv[++i];
		else if (!a.file && !argv[i].startsWith('--')) a.file = argv[i];
		else throw new Error('usage: check-report.js REPORT.html [--png F] [--dark-png F] [--pdf F] ' +
			'[--min-plots N] [--expect TEXT] [--timeout SEC] [--chromium PATH]');
	}
	if (!a.file) throw new Error('check-report.js: which report?');
	a.minPlots = Number(a.minPlots);
	a.timeout = Number(a.timeout);
	return a;
}

let chrome = null;
let tmpdir = null;
let finished = false;

function finish(code, summary) {
	if (finished) return;
	finished = true;
	if (summary) process.stdout.write(JSON.stringify(summary, null, 1) + '\n');
	if (chrome && chrome.pid && chrome.exitCode === null) {
		try { process.kill(-chrome.pid, 'SIGKILL'); } catch (e) { /* gone already */ }
	}
	if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
	process.exit(code);
}

function fail2(msg) {
	process.stderr.write('check-report: ' + msg + '\n');
	finish(2);
}

/* The DevTools connection over the pipe. */
function connect(toChrome, fromChrome) {
	let nextId = 1;
	let buf = Buffer.alloc(0);
	const pending = new Map();
	const listeners = [];
	fromChrome.on('data', (chunk) => {
		buf = Buffer.concat([buf, chunk]);
		let nul;
		while ((nul = buf.indexOf(0)) >= 0) {
			const msg = JSON.parse(buf.subarray(0, nul).toString('utf8'));
			buf = buf.subarray(nul + 1);
			if (msg.id && pending.has(msg.id)) {
				const p = pending.get(msg.id);
				pending.delete(msg.id);
				if (msg.error) p.reject(new Error(p.method + ': ' + msg.error.message));
				else p.resolve(msg.result);
			} else if (msg.method) {
				for (const l of listeners.slice()) l(msg);
			}
		}
	});
	const send = (method, params, sessionId) => new Promise((resolve, reject) => {
		const id = nextId++;
		const msg = { id, method, params: params || {} };
		if (sessionId) msg.sessionId = sessionId;
		pending.set(id, { resolve, reject, method });
		toChrome.write(JSON.stringify(msg) + '\0');
	});
	const on = (fn) => listeners.push(fn);
	const once = (method) => new Promise((resolve) => {
		const fn = (m) => {
			if (m.method !== method) return;
			listeners.splice(listeners.indexOf(fn), 1);
			resolve(m.params);
		};
		listeners.push(fn);
	});
	return { send, on, once };
}

/* Evaluated in the page: what a reader would look for. */
const PAGE_PROBE = `(() => {
	const q = (s) => document.querySelector(s);
	const text = (s) => (q(s) ? q(s).innerText : '');
	const rgb = (c) => (c.match(/[0-9.]+/g) || []).slice(0, 3).map(Number);
	const plots = [...document.querySelectorAll('svg.plot')].map((svg) => {
		const paths = [...svg.querySelectorAll('path.series')];
		const box = svg.getBoundingClientRect();
		const fig = svg.closest('figure');
		return { id: svg.id, expected: Number(svg.dataset.series), paths: paths.length,
			drawn: paths.filter((p) => p.getTotalLength() > 0).length,
			legend: fig ? fig.querySelectorAll('.legend li').length : 0,
			width: Math.round(box.width), height: Math.round(box.height) };
	});
	const links = [...document.querySelectorAll('[src],[href]')]
		.map((e) => e.getAttribute('src') || e.getAttribute('href'))
		.filter((u) => !u.startsWith('#') && !u.startsWith('data:'));
	const wide = [...document.querySelectorAll('table')]
		.filter((t) => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length;
	return { overall: text('.overall'), verdict: text('#verdict'), plots, links, wide,
		noplot: text('.noplot'), bg: rgb(getComputedStyle(document.body).backgroundColor),
		nav: getComputedStyle(q('nav')).display };
})()`;

async function probe(S) {
	const r = await S('Runtime.evaluate', { expression: PAGE_PROBE, returnByValue: true });
	if (r.exceptionDetails) throw new Error('probe: ' + r.exceptionDetails.text);
	return r.result.value;
}

async function fullPng(S, file) {
	const m = await S('Page.getLayoutMetrics');
	const h = Math.min(Math.ceil((m.cssContentSize || m.contentSize).height), 16000);
	await S('Emulation.setDeviceMetricsOverride', { width: 1100, height: h, deviceScaleFactor: 1, mobile: false });
	const shot = await S('Page.captureScreenshot', { format: 'png' });
	fs.writeFileSync(file, Buffer.from(shot.data, 'base64'));
	await S('Emulation.setDeviceMetricsOverride', { width: 1100, height: 900, deviceScaleFactor: 1, mobile: false });
}

const luminance = (c) => (c[0] * 299 + c[1] * 587 + c[2] * 114) / 1000;

function judge(a, s) {
	const bad = [];
	if (s.console.length) bad.push('console errors: ' + s.console.join(' | '));
	const foreign = s.requests.filter((u) => u.split('#')[0] !== s.url && !u.startsWith('data:'));
	if (foreign.length) bad.push('network requests: ' + foreign.join(' '));
	if (!/Verdict/.test(s.light.overall) || !s.light.verdict.trim()) bad.push('no verdict text');
	if (a.expect && !s.light.verdict.includes(a.expect)) bad.push('verdict lacks: ' + a.expect);
	if (s.light.links.length) bad.push('src/href to: ' + s.light.links.join(' '));
	if (s.light.plots.length < a.minPlots) bad.push(`plots: ${s.light.plots.length} < ${a.minPlots}`);
	for (const p of s.light.plots) {
		if (!(p.expected > 0) || p.drawn !== p.expected || p.paths !== p.expected || p.legend !== p.expected)
			bad.push(`plot ${p.id}: ${p.drawn} of ${p.expected} series drawn, legend ${p.legend}`);
		if (p.width < 300 || p.height < 100) bad.push(`plot ${p.id}: ${p.width}x${p.height} on screen`);
	}
	if (!s.light.plots.length && !s.light.noplot) bad.push('no plot and no "no plot" note');
	if (luminance(s.light.bg) < 128) bad.push('light mode is not light');
	if (luminance(s.dark.bg) >= 128) bad.push('dark mode is not dark');
	if (luminance(s.print.bg) < 128) bad.push('print is not light (dark preferred)');
	if (s.print.nav !== 'none') bad.push('print shows the nav');
	if (s.print.wide) bad.push(`print: ${s.print.wide} tables wider than the page`);
	for (const p of s.print.plots)
		if (p.width < 300 || p.height < 100) bad.push(`print: plot ${p.id} is ${p.width}x${p.height}`);
	if (!(s.pdfBytes > 1000)) bad.push('empty PDF');
	return bad;
}

async function run(a) {
	const url = 'file://' + path.resolve(a.file);
	tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sockvet-chromium-'));
	chrome = spawn(a.chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe',
		'--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio', '--user-data-dir=' + tmpdir,
		'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
	chrome.on('error', (e) => fail2('cannot start ' + a.chromium + ': ' + e.message));
	chrome.on('exit', (code) => { if (!finished) fail2('chromium exited (' + code + ')'); });
	let stderr = '';
	chrome.stdio[2].on('data', (d) => { stderr = (stderr + d).slice(-4000); });
	const cdp = connect(chrome.stdio[3], chrome.stdio[4]);
	const s = { url, console: [], requests: [] };
	cdp.on((m) => {
		const p = m.params;
		if (m.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert'))
			s.console.push(p.args.map((x) => x.value || x.description).join(' '));
		else if (m.method === 'Runtime.exceptionThrown')
			s.console.push('exception: ' + (p.exceptionDetails.exception || {}).description);
		else if (m.method === 'Log.entryAdded' && p.entry.level === 'error')
			s.console.push(p.entry.source + ': ' + p.entry.text);
		else if (m.method === 'Network.requestWillBeSent')
			s.requests.push(p.request.url);
	});
	const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
	const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
	const S = (method, params) => cdp.send(method, params, sessionId);
	for (const d of ['Runtime', 'Log', 'Network', 'Page']) await S(d + '.enable');
	await S('Emulation.setDeviceMetricsOverride', { width: 1100, height: 900, deviceScaleFactor: 1, mobile: false });
	const loaded = cdp.once('Page.loadEventFired');
	const nav = await S('Page.navigate', { url });
	if (nav.errorText) throw new Error('navigate: ' + nav.errorText);
	await loaded;
	s.light = await probe(S);
	if (a.png) await fullPng(S, a.png);
	await S('Emulation.setEmulatedMedia', { media: '', features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
	s.dark = await probe(S);
	if (a.darkPng) await fullPng(S, a.darkPng);
	await S('Emulation.setEmulatedMedia', { media: 'print', features: [{ name: 'prefers-color-scheme', value: 'dark' }] });
	s.print = await probe(S);
	await S('Emulation.setEmulatedMedia', { media: '', features: [] });
	const pdf = await S('Page.printToPDF', { printBackground: true, preferCSSPageSize: true });
	const pdfBuf = Buffer.from(pdf.data, 'base64');
	s.pdfBytes = pdfBuf.length;
	s.pdfPages = (pdfBuf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
	if (a.pdf) fs.writeFileSync(a.pdf, pdfBuf);
	await new Promise((r) => setTimeout(r, 200));  /* late console errors */
	s.failures = judge(a, s);
	s.verdict_head = s.light.overall;
	delete s.light.verdict; delete s.dark.verdict; delete s.print.verdict;
	finish(s.failures.length ? 1 : 0, s);
}

let args;
try {
	args = parseArgs(process.argv.slice(2));
} catch (e) {
	process.stderr.write(e.message + '\n');
	process.exit(2);
}
process.on('SIGINT', () => finish(130));
process.on('SIGTERM', () => finish(143));
setTimeout(() => fail2('timed out after ' + args.timeout + ' s'), args.timeout * 1000).unref();
run(args).catch((e) => fail2(e.message));
