// Parses Mermaid diagrams with the mermaid library itself, for
// `cloudviz validate` and the test suite (cloudviz/diagram/validation.py).
//
//   node mermaid_parser.js NODE_MODULES_DIR
//
// Reads one JSON request per line on stdin, {"id": 1, "text": "flowchart TB..."},
// and answers one JSON line per request on stdout:
// {"id": 1, "ok": false, "line": 3, "message": "Parse error on line 3: ..."}.
// One process serves many diagrams: loading mermaid takes seconds, a parse
// takes milliseconds. Mermaid's default limits (maxTextSize, maxEdges) apply.
"use strict";

const path = require("node:path");
const readline = require("node:readline");
const { pathToFileURL } = require("node:url");

async function loadMermaid(modulesDir) {
  // Mermaid sanitises labels with DOMPurify, which needs a DOM: jsdom's.
  const { JSDOM } = require(path.join(modulesDir, "jsdom"));
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  const entry = path.join(modulesDir, "mermaid", "dist", "mermaid.core.mjs");
  const { default: mermaid } = await import(pathToFileURL(entry).href);
  mermaid.initialize({ startOnLoad: false });
  return mermaid;
}

function errorLine(error) {
  const match = /on line (\d+)/.exec(String(error && error.message));
  if (match) return Number(match[1]);
  const loc = error && error.hash && error.hash.loc;
  return loc && Number.isInteger(loc.first_line) ? loc.first_line : null;
}

async function answer(mermaid, request) {
  const maxTextSize = mermaid.mermaidAPI.getConfig().maxTextSize;
  if (request.text.length > maxTextSize) {
    return {
      ok: false,
      line: null,
      message:
        `Maximum text size in diagram exceeded: ${request.text.length} ` +
        `characters, the limit (maxTextSize) is ${maxTextSize}`,
    };
  }
  try {
    await mermaid.parse(request.text);
    return { ok: true, line: null, message: "" };
  } catch (error) {
    const message = String((error && error.message) || error);
    return { ok: false, line: errorLine(error), message };
  }
}

async function main() {
  const mermaid = await loadMermaid(process.argv[2]);
  process.stdout.write(JSON.stringify({ ready: true }) + "\n");
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    const request = JSON.parse(line);
    const result = await answer(mermaid, request);
    process.stdout.write(JSON.stringify({ id: request.id, ...result }) + "\n");
  }
}

main().catch((error) => {
  process.stderr.write(`mermaid parser failed to start: ${error && error.stack}\n`);
  process.exit(3);
});
