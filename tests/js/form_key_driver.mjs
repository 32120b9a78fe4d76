// Reads JSON lines {"form": ..., "values": ...} on stdin and writes, per line, the renderer's own formKey and
// formHash for them (the book's lookup of precomputed results). Used by tests/test_interactive_widget.py.
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";

const { formKey, formHash } = await import(pathToFileURL(process.argv[2]).href);
for await (const line of createInterface({ input: process.stdin })) {
  const { form, values } = JSON.parse(line);
  const key = formKey(form, values);
  process.stdout.write(JSON.stringify({ key: key, hash: formHash(key) }) + "\n");
}
