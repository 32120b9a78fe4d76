// Reads JSON lines {"data": <the book's framing form data>, "text": ..., "button": ...} on stdin and writes,
// per line, what the renderer's own findCues, describeCues and framingResult give. Used by tests/test_framing_parity.py.
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";

const { findCues, describeCues, framingResult } = await import(pathToFileURL(process.argv[2]).href);
for await (const line of createInterface({ input: process.stdin })) {
  const { data, text, button } = JSON.parse(line);
  process.stdout.write(JSON.stringify({
    cues: findCues(data.cues, text).map(function (m) { return [m.vision, m.cue]; }),
    sentence: describeCues(data.cues, data.visions, text),
    result: framingResult(data, { statement: text }, button),
  }) + "\n");
}
