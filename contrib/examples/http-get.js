#!/usr/bin/env node
// http-get.js HOST PORT [PATH]: an HTTP/1.0 GET through netfs with fs's
// openSync, writeSync and readSync; writes the body to stdout.
// NETFS_DIR is the mount point (/net).
'use strict';
const fs = require('fs');

const net = process.env.NETFS_DIR || '/net';
const [host, port, path = '/'] = process.argv.slice(2);

// A /net/ctl session: the reply line is read back from the same file.
const ctl = fs.openSync(`${net}/ctl`, 'r+');
fs.writeSync(ctl, `connect ${host}!${port}\n`);
const line = Buffer.alloc(64);
const n = fs.readSync(ctl, line, 0, line.length, null);
fs.closeSync(ctl);
const name = line.toString('utf8', 0, n).trim();

fs.writeFileSync(`${net}/${name}/data`,
		 `GET ${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
const data = fs.openSync(`${net}/${name}/data`, 'r');
const parts = [];
const buf = Buffer.alloc(65536);
let got;
while ((got = fs.readSync(data, buf, 0, buf.length, null)) > 0)
	parts.push(Buffer.from(buf.subarray(0, got)));
fs.closeSync(data);
fs.writeFileSync(`${net}/${name}/ctl`, 'close\n');

const response = Buffer.concat(parts);
process.stdout.write(response.subarray(response.indexOf('\r\n\r\n') + 4));
