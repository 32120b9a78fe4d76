// Reads JSON lines {"spec": ..., "answer": ...} on stdin and writes, per line, what the renderer's own
// assess() returns for them (or {"error": ...}). Used by tests/test_renderer_parity.py.
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";

const { assess } = await import(pathToFileURL(process.argv[2]).href);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  let out;
  try {
    const { spec, answer } = JSON.parse(line);
    const r = assess(spec, answer);
    out = { headline: r.headline, lines: r.lines };
  } catch (e) {
    out = { error: String(e && e.stack || e) };
  }
  process.stdout.write(JSON.stringify(out) + "\n");
}
