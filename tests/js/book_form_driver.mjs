// Reads one JSON line {"data": <a book form's data>, "submits": [values, ...]} on stdin and writes what the
// renderer's own book host gives for the start and for each submit (a result {html, fields} or a notice).
// Used by tests/test_nis2_explorer.py: the book's lookup, run by the page's code, against Python's results.
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";

const { bookFormHost } = await import(pathToFileURL(process.argv[2]).href);
for await (const line of createInterface({ input: process.stdin })) {
  const { data, submits } = JSON.parse(line);
  const host = bookFormHost(data), out = { start: host.result, answers: [] };
  host.listen(function (u) { out.answers.push(u); });
  submits.forEach(function (v) { host.submit(v, null); });
  process.stdout.write(JSON.stringify(out) + "\n");
}
