/* coursekit's one exercise renderer, for JupyterLab (as an anywidget module) and for the compiled book.
 *
 * The same functions draw every exercise in both places, so the markup, the keyboard behaviour and the
 * feedback are the same. Only the "host" differs: in JupyterLab every answer goes to the kernel, which saves
 * it in the notebook's answers file; in the book it is remembered in this browser (localStorage).
 * `assess` gives, for a practice answer, exactly what coursekit.core.feedback.feedback gives in Python (a
 * property-based test drives both with generated answers for every practice exercise of the course).
 * Every focusable control carries data-lm-suppress-shortcuts, so JupyterLab's notebook shortcuts (a, b, m,
 * arrows, Shift+Enter) never take a key meant for the exercise. */

const RIGHT = "\u2713", WRONG = "\u2717", MISSED = "\u25CB", INFO = "\u2139", PARTLY = "\u25D0";
const FOCUSABLE = { input: 1, select: 1, textarea: 1, button: 1 };
const ANNOUNCE_MS = 900;  /* "Saved" is announced once the answer has stayed the same this long */
let uid = 0;

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") node.textContent = attrs[k];
    else if (k === "html") node.innerHTML = attrs[k];
    else node.setAttribute(k, attrs[k]);
  });
  if (FOCUSABLE[tag]) node.setAttribute("data-lm-suppress-shortcuts", "true");
  (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return node;
}

/* Python's format(x, "g"): six significant digits, exponent below 1e-4 and from 1e6. */
function pyG(x) {
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  if (!isFinite(x)) return isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  const parts = x.toExponential(5).split("e"), exp = parseInt(parts[1], 10);
  const strip = function (s) { return s.indexOf(".") >= 0 ? s.replace(/0+$/, "").replace(/\.$/, "") : s; };
  if (exp < -4 || exp >= 6) {
    const digits = String(Math.abs(exp));
    return strip(parts[0]) + "e" + (exp < 0 ? "-" : "+") + (digits.length < 2 ? "0" + digits : digits);
  }
  return strip(x.toFixed(Math.max(0, 5 - exp)));
}
function pyRepr(s) { /* Python's repr of a keyword, as in "Mentions 'x'" */
  const quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
  let out = "";
  for (const ch of s) {
    const code = ch.codePointAt(0);
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return quote + out + quote;
}
/* Python's idea of blank text (str.strip), which also counts U+001C-U+001F and U+0085 and not U+FEFF. */
const BLANK = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
function blank(s) { return BLANK.test(s); }
function empty(a) {
  return a === null || a === undefined || a === "" || (Array.isArray(a) && a.length === 0) ||
    (typeof a === "object" && !Array.isArray(a) && Object.keys(a).length === 0);
}
function verdict(fraction, detail) {
  const f = Math.min(1, Math.max(0, fraction));
  if (f >= 1) return RIGHT + " Correct.";
  if (f <= 0) return WRONG + " Not quite. " + detail;
  return PARTLY + " Partly right: " + detail;
}
function option(step, value) { return step.options.filter(function (o) { return o.value === value; })[0]; }
function bestTotal(spec, steps) {
  const memo = {};
  function best(id) {
    if (!(id in memo)) memo[id] = Math.max.apply(null, steps[id].options.map(function (o) {
      return o.points + (o.next ? best(o.next) : 0); }));
    return memo[id];
  }
  return best(spec.start);
}
function rangeProblem(spec, x) {
  const lo = spec.minimum, hi = spec.maximum, has = function (v) { return v !== null && v !== undefined; };
  if ((has(lo) && x < lo) || (has(hi) && x > hi)) {
    if (has(lo) && has(hi)) return INFO + " Enter a number from " + pyG(lo) + " to " + pyG(hi) + ".";
    return INFO + " Enter a number " + (has(lo) ? "of at least " + pyG(lo) : "of at most " + pyG(hi)) + ".";
  }
  return "";
}
/* coursekit.core.scoring.fold_case: lower-case only the Latin, Greek and Cyrillic blocks (below U+0530), one
 * character at a time, whose case pairs Python and every browser agree on whatever their Unicode version. */
function fold(s) {
  let out = "";
  for (const ch of s) out += ch.codePointAt(0) < 0x0530 ? ch.toLowerCase() : ch;
  return out;
}

/* What a participant is told about a practice answer: {headline, lines: [[symbol, sentence], ...]}. */
export function assess(spec, a) {
  const unanswered = { headline: INFO + " Choose or enter an answer first.", lines: [], prompt: true };
  if (empty(a)) return unanswered;
  const lines = [], t = spec.type;
  if (t === "single-choice") {
    const right = a === spec.key, chosen = spec.choices.filter(function (c) { return c.value === a; })[0];
    lines.push([right ? RIGHT : WRONG, chosen.feedback]);
    return { headline: verdict(right ? 1 : 0, right ? "Right option." : "Not the right option."), lines: lines };
  }
  if (t === "multiple-select") {
    const hits = a.filter(function (v) { return spec.key.indexOf(v) >= 0; }).length, misses = a.length - hits;
    spec.choices.forEach(function (c) {
      const more = c.feedback ? " " + c.feedback : "", right = spec.key.indexOf(c.value) >= 0;
      if (a.indexOf(c.value) >= 0 && right) lines.push([RIGHT, "You selected \u201C" + c.text + "\u201D, a right option." + more]);
      else if (a.indexOf(c.value) >= 0) lines.push([WRONG, "You selected \u201C" + c.text + "\u201D, which is not a right option." + more]);
      else if (right) lines.push([MISSED, "You did not select \u201C" + c.text + "\u201D, which is a right option." + more]);
    });
    const wrongOptions = spec.choices.length - spec.key.length;
    return { headline: verdict(hits / spec.key.length - (wrongOptions ? misses / wrongOptions : 0),
      hits + " of " + spec.key.length + " right options selected, " + misses + " wrong."), lines: lines };
  }
  if (t === "matching") {
    const lefts = Object.keys(spec.key);
    let ok = 0, fraction = 0;
    /* coursekit.core.scoring._matching: the multiple-select rule for each right-hand value, weighted */
    lefts.map(function (l) { return spec.key[l]; }).filter(function (r, i, all) { return all.indexOf(r) === i; })
      .forEach(function (r) {
        const own = lefts.filter(function (l) { return spec.key[l] === r; }), others = lefts.length - own.length;
        const given = Object.keys(a).filter(function (l) { return a[l] === r; });
        const hit = given.filter(function (l) { return own.indexOf(l) >= 0; }).length, wrong = given.length - hit;
        fraction += Math.max(0, hit / own.length - (others ? wrong / others : 0)) * own.length / lefts.length;
      });
    lefts.forEach(function (l) {
      const target = spec.key[l], given = a[l], note = (spec.explanations || {})[l] || "";
      if (given === target) { ok++; lines.push([RIGHT, (l + " \u2192 " + target + ". " + note).trim()]); }
      else lines.push([WRONG, (l + ": you chose " + (given || "nothing") + "; the answer is " + target + ". " + note).trim()]);
    });
    return { headline: verdict(fraction, ok + " of " + lefts.length + " pairs right."), lines: lines };
  }
  if (t === "ordering") {
    const pos = {};
    let inOrder = 0, pairs = 0, place = 0;
    spec.key.forEach(function (item, i) { pos[item] = i; });
    for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) { pairs++; if (pos[a[i]] < pos[a[j]]) inOrder++; }
    a.forEach(function (item, i) {
      if (item === spec.key[i]) { place++; lines.push([RIGHT, (i + 1) + ". " + spec.key[i]]); }
      else lines.push([WRONG, (i + 1) + ". " + spec.key[i] + " (you placed " + item + " here)"]);
    });
    return { headline: verdict((2 * inOrder - pairs) / pairs, place + " of " + a.length + " items in the right place."), lines: lines };
  }
  if (t === "numeric") {
    const problem = rangeProblem(spec, a);
    if (problem) return { headline: problem, lines: [], prompt: true };
    const unit = spec.unit ? " " + spec.unit : "", within = Math.abs(a - spec.key) <= spec.tolerance + 1e-9;
    lines.push([within ? RIGHT : WRONG, "The expected answer is " + pyG(spec.key) + unit + "."]);
    if (spec.explanation) lines.push([INFO, spec.explanation]);
    return { headline: verdict(within ? 1 : 0, pyG(a) + unit + " is " + (within ? "within" : "outside") + " the accepted range."), lines: lines };
  }
  if (t === "short-text") {
    if (blank(a)) return unanswered;
    const text = fold(a);
    let found = 0;
    spec.keywords.forEach(function (w) {
      const has = text.indexOf(fold(w)) >= 0;
      if (has) found++;
      lines.push([has ? RIGHT : MISSED, (has ? "Mentions " : "Does not mention ") + pyRepr(w)]);
    });
    if (spec.model_answer) lines.push([INFO, "Model answer: " + spec.model_answer]);
    let headline = INFO + " Your answer is recorded.";
    if (spec.keywords.length) headline = INFO + " Your answer mentions " + found + " of the " + spec.keywords.length +
      " ideas on this checklist. It is a prompt to compare, not a mark.";
    else if (spec.model_answer) headline = INFO + " Compare your answer with the model answer.";
    return { headline: headline, lines: lines };
  }
  if (t === "scenario") {
    const steps = {};
    let earned = 0;
    spec.steps.forEach(function (s) { steps[s.id] = s; });
    a.forEach(function (p) { earned += option(steps[p[0]], p[1]).points; });
    const best = bestTotal(spec, steps), last = a[a.length - 1], done = option(steps[last[0]], last[1]).next === null;
    if (spec.debrief && done) lines.push([INFO, spec.debrief]);
    return { headline: verdict(best > 0 ? earned / best : 1,
      pyG(earned) + " of a possible " + pyG(best) + " decision points." + (done ? "" : " The scenario was not finished.")),
      lines: lines };
  }
  throw new Error("unknown exercise type " + t);
}

/* ---- controls: each returns {node, get(), set(answer)} and calls changed() on every change ---- */
function choiceControl(spec, multiple, changed, legendText) {
  const name = "ck-" + spec.id + "-" + (uid++), inputs = [];
  const fs = el("fieldset", {}, [el("legend", { text: legendText || (multiple ? "Select every option that applies:" : "Your answer:") })]);
  spec.choices.forEach(function (c, i) {
    const id = name + "-" + i;
    const input = el("input", { type: multiple ? "checkbox" : "radio", name: name, id: id, value: c.value });
    input.addEventListener("change", changed);
    inputs.push(input);
    fs.appendChild(el("div", { "class": "coursekit-option" }, [input, el("label", { "for": id, text: c.text })]));
  });
  return { node: fs,
    get: function () {
      const v = inputs.filter(function (x) { return x.checked; }).map(function (x) { return x.value; });
      return multiple ? v : (v[0] || null);
    },
    set: function (a) { inputs.forEach(function (x) { x.checked = multiple ? a.indexOf(x.value) >= 0 : x.value === a; }); } };
}
function matchingControl(spec, changed) {
  const box = el("div", { "class": "coursekit-matching" }), selects = [];
  box.appendChild(el("p", { "class": "coursekit-instruction", text: "For each item, choose its match from the list below it:" }));
  spec.left.forEach(function (l, i) {
    const id = "ck-" + spec.id + "-m" + i + "-" + (uid++);
    const sel = el("select", { id: id }, [el("option", { value: "", text: "\u2014 choose \u2014" })]);
    spec.right.forEach(function (r) { sel.appendChild(el("option", { value: r, text: r })); });
    sel.addEventListener("change", changed);
    selects.push(sel);
    box.appendChild(el("div", { "class": "coursekit-pair" }, [el("label", { "for": id, text: l }), sel]));
  });
  return { node: box,
    get: function () { const o = {}; selects.forEach(function (s, i) { if (s.value) o[spec.left[i]] = s.value; }); return o; },
    set: function (a) { selects.forEach(function (s, i) { s.value = a[spec.left[i]] || ""; }); } };
}
function orderingControl(spec, changed) {
  let order = spec.items.slice();
  const list = el("ol", { "class": "coursekit-ordering" });
  const live = el("p", { "class": "coursekit-sr", "aria-live": "polite" });
  function draw(focusIndex, focusDir) {
    list.innerHTML = "";
    order.forEach(function (item, i) {
      const up = el("button", { type: "button", text: "Move up", "aria-label": "Move up: \u201C" + item + "\u201D" });
      const down = el("button", { type: "button", text: "Move down", "aria-label": "Move down: \u201C" + item + "\u201D" });
      up.disabled = i === 0; down.disabled = i === order.length - 1;
      up.addEventListener("click", function () { move(i, -1); });
      down.addEventListener("click", function () { move(i, 1); });
      list.appendChild(el("li", {}, [el("span", { "class": "coursekit-item", text: item }), up, down]));
      if (focusIndex === i) (focusDir < 0 ? (up.disabled ? down : up) : (down.disabled ? up : down)).focus();
    });
  }
  function move(i, d) {
    const j = i + d;
    if (j < 0 || j >= order.length) return;
    const t = order[i]; order[i] = order[j]; order[j] = t;
    draw(j, d);
    live.textContent = "\u201C" + order[j] + "\u201D is now number " + (j + 1) + " of " + order.length + ".";
    changed();
  }
  draw();
  return { node: el("div", {}, [el("p", { "class": "coursekit-instruction", text: "Use the buttons to put the items in order (first at the top):" }), list, live]),
    get: function () { return order.slice(); }, set: function (a) { order = a.slice(); draw(); } };
}
function numericControl(spec, changed) {
  const id = "ck-" + spec.id + "-n" + (uid++), unit = spec.unit ? " (" + spec.unit + ")" : "";
  const input = el("input", { type: "number", id: id, step: spec.step || "any", inputmode: "decimal" });
  if (spec.minimum !== null && spec.minimum !== undefined) input.min = spec.minimum;
  if (spec.maximum !== null && spec.maximum !== undefined) input.max = spec.maximum;
  input.addEventListener("input", changed);
  return { node: el("div", {}, [el("label", { "for": id, text: "Your answer" + unit + ":" }), " ", input]),
    get: function () { return input.value === "" || !isFinite(Number(input.value)) ? null : Number(input.value); },
    set: function (a) { input.value = a; } };
}
/* JupyterLab 4 cancels every line break typed inside a notebook cell (its input guard), which would make
 * Enter do nothing in a text box: insert the line break ourselves, as typed text, so it stays undoable. */
function typedLineBreaks(area) {
  area.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || !area.closest(".jp-Cell")) return;
    e.preventDefault();
    if (!document.execCommand || !document.execCommand("insertText", false, "\n")) {
      area.setRangeText("\n", area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
}
function textControl(spec, changed, typing) {
  const id = "ck-" + spec.id + "-t" + (uid++), count = el("span", { "class": "coursekit-count" });
  const area = el("textarea", { id: id, rows: "6", "class": "coursekit-text", placeholder: spec.placeholder || "",
    maxlength: String(spec.max_chars || 5000), "aria-describedby": id + "-count" });
  count.id = id + "-count";
  function counted() { const n = area.value.trim() ? area.value.trim().split(/\s+/).length : 0; count.textContent = n + " word" + (n === 1 ? "" : "s"); }
  area.addEventListener("input", function () { counted(); typing(); });
  typedLineBreaks(area);
  area.addEventListener("change", changed);
  counted();
  return { node: el("div", {}, [el("label", { "for": id, text: "Your answer:" }), el("br"), area, el("br"), count]),
    get: function () { return blank(area.value) ? null : area.value; }, set: function (a) { area.value = a; counted(); } };
}

function showFeedback(box, result) {
  box.innerHTML = "";
  if (!result) { box.removeAttribute("data-status"); return; }
  box.appendChild(el("strong", { text: result.headline }));
  if (result.lines.length) {
    const ul = el("ul", { "class": "coursekit-feedback-lines" });
    result.lines.forEach(function (l) {
      ul.appendChild(el("li", {}, [el("span", { "aria-hidden": "true", text: l[0] + " " }), l[1]]));
    });
    box.appendChild(ul);
  }
  box.setAttribute("data-status", result.prompt ? "prompt" : "shown");
}
function localTime(iso) {
  const d = new Date(iso);
  return isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/* A scenario: history of decisions, the current situation and its options, Decide, and Start again (with a
 * confirmation: one click never wipes a path). */
function scenario(root, spec, host, feedback, status) {
  const steps = {};
  let path = Array.isArray(host.answer) ? host.answer.slice() : [];
  spec.steps.forEach(function (s) { steps[s.id] = s; });
  const history = el("ol", { "class": "coursekit-history" }), situation = el("div", { "class": "coursekit-situation" });
  const form = el("div"), restartBox = el("div", { "class": "coursekit-restart" });
  [history, situation, form, restartBox].forEach(function (n) { root.appendChild(n); });
  function current() {
    if (!path.length) return spec.start;
    const last = path[path.length - 1]; return option(steps[last[0]], last[1]).next;
  }
  function finished() {
    if (spec.mode === "practice") showFeedback(feedback, assess(spec, path));
    else showFeedback(feedback, { headline: INFO + " Scenario complete: your decisions are saved for grading.", lines: [] });
  }
  function drawRestart() {
    restartBox.innerHTML = "";
    if (!path.length) return;
    const restart = el("button", { type: "button", text: "Start again\u2026" });
    restart.addEventListener("click", function () {
      restartBox.innerHTML = "";
      const keep = el("button", { type: "button", text: "Keep my decisions" });
      const wipe = el("button", { type: "button", text: "Yes, clear them and start again" });
      keep.addEventListener("click", function () { drawRestart(); restartBox.querySelector("button").focus(); });
      wipe.addEventListener("click", function () {
        path = []; host.save(path); showFeedback(feedback, null); draw();
        const first = form.querySelector("input"); if (first) first.focus();
      });
      restartBox.appendChild(el("p", { role: "alert", text: "Clear your " + path.length + " decision" + (path.length === 1 ? "" : "s") +
        (spec.mode === "practice" ? "" : " (a graded answer)") + " and start the scenario again?" }));
      restartBox.appendChild(keep); restartBox.appendChild(wipe);
      keep.focus();
    });
    restartBox.appendChild(restart);
  }
  function draw() {
    history.innerHTML = "";
    path.forEach(function (p, n) {
      const o = option(steps[p[0]], p[1]);
      history.appendChild(el("li", {}, [el("strong", { text: "Decision " + (n + 1) + ": " }), o.text,
        el("br"), el("em", { text: "What happened: " }), o.consequence]));
    });
    const id = current();
    form.innerHTML = "";
    drawRestart();
    if (id === null) {
      situation.innerHTML = "";
      situation.appendChild(el("p", {}, [el("strong", { text: "End of the scenario." })]));
      finished();
      return;
    }
    situation.innerHTML = steps[id].situation_html;
    const control = choiceControl({ id: spec.id + "-" + id, choices: steps[id].options }, false, function () {
      if (feedback.getAttribute("data-status") === "prompt") showFeedback(feedback, null);
    }, "Your decision:");
    const decide = el("button", { type: "button", text: "Decide", "class": "coursekit-check" });
    decide.addEventListener("click", function () {
      const v = control.get();
      if (!v) { showFeedback(feedback, { headline: INFO + " Choose a decision first.", lines: [], prompt: true }); return; }
      path.push([id, v]); host.save(path.slice()); showFeedback(feedback, null); draw();
      const next = form.querySelector("input") || restartBox.querySelector("button");
      if (next) next.focus();
    });
    form.appendChild(control.node); form.appendChild(decide);
  }
  draw();
  status.restored(path.length > 0);
}

/* A notebook reopened after its kernel stopped shows the exercises from the widget state saved in the notebook:
 * the page still draws them, but nothing would reach Python, so nothing would be saved. The host's `connection`
 * asks the kernel (a ping it answers with a pong); without an answer the controls are disabled and one line
 * says how to make the exercise live again. An answer arriving later (a busy kernel) makes it live again. */
const OFFLINE_NOTE = "Not connected to Python, so you cannot answer here right now: your answers as last " +
  "saved are shown. To answer again, choose Run \u25B8 Run All Cells. Your saved answers are kept.";
function watchConnection(container, host) {
  if (!host.connection) return;
  const note = el("p", { "class": "coursekit-kernel-note", role: "note", text: INFO + " " + OFFLINE_NOTE });
  host.connection(function (live) {
    if (live) {
      if (note.parentNode) note.remove();
      container.querySelectorAll("[data-coursekit-offline]").forEach(function (n) {
        n.disabled = false; n.removeAttribute("data-coursekit-offline"); });
      container.removeAttribute("data-coursekit-offline");
      return;
    }
    container.setAttribute("data-coursekit-offline", "1");
    container.querySelectorAll("input, select, textarea, button").forEach(function (n) {
      if (!n.disabled) { n.disabled = true; n.setAttribute("data-coursekit-offline", "1"); } });
    const after = container.querySelector(".coursekit-badge, .coursekit-form-title");
    container.insertBefore(note, after ? after.nextSibling : container.firstChild);
  });
}

/* Draw one exercise into `container`. `host` = {answer, savedAt, notice, canAnswer, save(answer),
 * listen(fn)}: fn({savedAt, notice}) is called when the host reports a save or a problem. */
export function mount(container, spec, host) {
  draw(container, spec, host);
  watchConnection(container, host);
  container.setAttribute("data-coursekit-ready", "1");
}

function draw(container, spec, host) {
  container.classList.add("coursekit-exercise");
  container.setAttribute("role", "group");
  container.setAttribute("aria-label", (spec.mode === "practice" ? "Practice" : "Graded") + " exercise " + spec.id);
  const points = pyG(spec.points) + " point" + (spec.points === 1 ? "" : "s"), graded = spec.mode !== "practice";
  /* graded and practice differ in a word, an icon shape and the frame's line, never in colour alone */
  container.setAttribute("data-mode", graded ? "graded" : "practice");
  container.appendChild(el("div", { "class": "coursekit-badge" }, [
    el("span", { "class": "coursekit-badge-icon", "aria-hidden": "true", text: graded ? "\u25A0" : "\u25B7" }),
    el("strong", { text: graded ? "Graded" : "Practice" }),
    graded ? " \u2014 recorded for your instructor" : " \u2014 instant feedback",
    " \u00B7 " + points + " \u00B7 " + spec.outcomes.join(", ")]));
  container.appendChild(el("div", { "class": "coursekit-prompt", html: spec.prompt_html }));
  if (!host.canAnswer) {
    if (spec.choices) container.appendChild(el("ul", {}, spec.choices.map(function (c) { return el("li", { text: c.text }); })));
    if (spec.items) container.appendChild(el("ul", {}, spec.items.map(function (c) { return el("li", { text: c }); })));
    if (spec.left) container.appendChild(el("ul", {}, spec.left.map(function (c) { return el("li", { text: c }); })));
    const note = el("p", { "class": "coursekit-graded-note", role: "note", text: host.readOnlyNote });
    if (host.howto) note.appendChild(el("span", {}, [" ", el("a", { href: host.howto, text: "How to answer and submit graded exercises" }), "."]));
    container.appendChild(note);
    return;
  }
  const practice = spec.mode === "practice";
  const alertBox = el("div", { "class": "coursekit-alert", role: "alert" });
  const statusBox = el("p", { "class": "coursekit-status", role: "status" });
  const feedback = el("div", { "class": "coursekit-feedback", role: "status", "aria-live": "polite" });
  let announce = null;
  const status = {
    restored: function (yes) {
      if (yes && host.savedAt) statusBox.textContent = "\u2714 Your saved answer is shown (saved " + localTime(host.savedAt) + ").";
    },
    update: function (u) {
      if (u.notice !== undefined) alertBox.textContent = u.notice ? "\u26A0 " + u.notice : "";
      /* every change is saved at once, but "Saved" is said once the participant stops: arrowing through the
       * options of a choice would otherwise announce "Saved for grading" at each option passed */
      if (u.savedAt) {
        clearTimeout(announce);
        announce = setTimeout(function () {
          statusBox.textContent = "\u2714 " + (host.savedLabel || "Saved") + " " + localTime(u.savedAt) + ".";
        }, ANNOUNCE_MS);
      }
    },
  };
  container.appendChild(alertBox);
  if (host.notice) alertBox.textContent = "\u26A0 " + host.notice;
  host.listen(status.update);
  if (spec.type === "scenario") {
    scenario(container, spec, host, feedback, status);
    container.appendChild(statusBox); container.appendChild(feedback);
    return;
  }
  let control, timer = null, hadAnswer = !empty(host.answer);
  function answered() {
    const a = control.get();
    const problem = spec.type === "numeric" && a !== null ? rangeProblem(spec, a) : "";
    if (problem) { showFeedback(feedback, { headline: problem, lines: [], prompt: true }); return; }  /* not saved */
    if (feedback.getAttribute("data-status") === "prompt") showFeedback(feedback, null);
    if (!empty(a)) { hadAnswer = true; host.save(a); }
    else if (spec.type === "short-text" && hadAnswer) host.save("");  /* a text wiped on purpose is saved empty */
  }
  function typing() { clearTimeout(timer); timer = setTimeout(answered, 700); }
  control = { "single-choice": function () { return choiceControl(spec, false, answered); },
    "multiple-select": function () { return choiceControl(spec, true, answered); },
    matching: function () { return matchingControl(spec, answered); },
    ordering: function () { return orderingControl(spec, answered); },
    numeric: function () { return numericControl(spec, answered); },
    "short-text": function () { return textControl(spec, function () { clearTimeout(timer); answered(); }, typing); } }[spec.type]();
  container.appendChild(control.node);
  const reflective = spec.type === "short-text" && !(spec.keywords || []).length && !spec.model_answer;
  if (practice && !reflective) {
    const label = spec.type !== "short-text" ? "Check" : spec.model_answer ? "Compare with the model answer" : "Compare with the checklist";
    const check = el("button", { type: "button", "class": "coursekit-check", text: label });
    check.addEventListener("click", function () {
      clearTimeout(timer);
      const a = control.get();
      if (!empty(a) && !(spec.type === "numeric" && rangeProblem(spec, a))) host.save(a);
      showFeedback(feedback, assess(spec, a));
    });
    container.appendChild(check);
  }
  container.appendChild(statusBox);
  container.appendChild(feedback);
  if (!empty(host.answer)) {
    control.set(host.answer);
    status.restored(true);
    if (practice && !reflective) showFeedback(feedback, assess(spec, host.answer));
  }
}

/* ---- forms: the topic interactives (a classifier, an explorer, a simulator) ----
 * A form is JSON data: {id, title, intro_html, fields: [{name, kind, label, options, minimum, maximum, step,
 * integer, help}], buttons: [{name, label}], live}. The page only collects values and shows what comes back:
 * Python computes every result (`result.html` is HTML Python escaped itself; `result.fields` changes a
 * field's options, value or disabled state, e.g. subsectors that follow a sector). In JupyterLab the kernel
 * computes it; in the book a "book host" looks it up among results Python computed at build time. */

/* The book's lookup key of a set of values: each field's value as text, in field order (lists joined). */
export function formKey(form, values) {
  return form.fields.map(function (f) {
    const v = values[f.name];
    return Array.isArray(v) ? v.join("\u001e") : (v === null || v === undefined ? "" : String(v));
  }).join("\u001f");
}

function numberProblem(f, raw) {
  const x = Number(raw), has = function (v) { return v !== null && v !== undefined; };
  const range = has(f.minimum) && has(f.maximum) ? "from " + f.minimum + " to " + f.maximum :
    has(f.minimum) ? "of at least " + f.minimum : has(f.maximum) ? "of at most " + f.maximum : "";
  if (raw === "" || !isFinite(x) || (f.integer && !Number.isInteger(x)) || (has(f.minimum) && x < f.minimum) ||
      (has(f.maximum) && x > f.maximum))
    return f.label.replace(/:\s*$/, "") + ": enter " + (f.integer ? "a whole number" : "a number") + (range ? " " + range : "") + ".";
  return "";
}

/* An option is its own label, or {value, label} (a simulator's response id and its short label). */
function optionValue(o) { return typeof o === "string" ? o : o.value; }
function optionLabel(o) { return typeof o === "string" ? o : o.label; }

function formField(form, f, changed, typing) {
  const id = "ck-" + form.id + "-" + f.name + "-" + (uid++);
  const help = f.help ? el("span", { "class": "coursekit-help", id: id + "-help", text: f.help }) : null;
  const described = function (node) { if (help) node.setAttribute("aria-describedby", id + "-help"); return node; };
  if (f.kind === "radio" || f.kind === "checkboxes") {
    const multiple = f.kind === "checkboxes", inputs = [];
    const fs = el("fieldset", {}, [el("legend", { text: f.label })]);
    function fill(options) {
      inputs.length = 0;
      Array.from(fs.querySelectorAll(".coursekit-option")).forEach(function (n) { n.remove(); });
      options.forEach(function (o, i) {
        const input = described(el("input", { type: multiple ? "checkbox" : "radio", name: id, id: id + "-" + i, value: optionValue(o) }));
        input.addEventListener("change", changed);
        inputs.push(input);
        fs.insertBefore(el("div", { "class": "coursekit-option" }, [input, el("label", { "for": id + "-" + i, text: optionLabel(o) })]), help);
      });
    }
    if (help) fs.appendChild(help);
    fill(f.options || []);
    return { node: fs, options: fill,
      get: function () {
        const v = inputs.filter(function (x) { return x.checked; }).map(function (x) { return x.value; });
        return multiple ? v : (v[0] === undefined ? null : v[0]);
      },
      set: function (a) { inputs.forEach(function (x) { x.checked = multiple ? (a || []).indexOf(x.value) >= 0 : x.value === a; }); },
      disable: function (d) { inputs.forEach(function (x) { x.disabled = d; }); } };
  }
  let control;
  if (f.kind === "select") {
    control = described(el("select", { id: id }));
    control.addEventListener("change", changed);
  } else if (f.kind === "textarea") {
    control = described(el("textarea", { id: id, rows: String(f.rows || 5), "class": "coursekit-text", placeholder: f.placeholder || "" }));
    typedLineBreaks(control);
  } else {
    control = described(el("input", { id: id, type: f.kind === "number" ? "number" : "text", placeholder: f.placeholder || "" }));
    if (f.kind === "number") {
      control.setAttribute("inputmode", f.integer ? "numeric" : "decimal");
      control.step = f.step || (f.integer ? 1 : "any");
      if (f.minimum !== null && f.minimum !== undefined) control.min = f.minimum;
      if (f.maximum !== null && f.maximum !== undefined) control.max = f.maximum;
    }
  }
  if (f.kind !== "select") {
    control.addEventListener("input", typing);
    control.addEventListener("change", changed);
  }
  if (f.max_chars) control.setAttribute("maxlength", String(f.max_chars));
  function fill(options) {
    control.innerHTML = "";
    options.forEach(function (o) { control.appendChild(el("option", { value: optionValue(o), text: optionLabel(o) })); });
  }
  if (f.kind === "select") fill(f.options || []);
  const parts = [el("label", { "for": id, text: f.label }), f.kind === "textarea" ? el("br") : " ", control];
  if (help) parts.push(el("br"), help);
  return { node: el("div", { "class": "coursekit-field" }, parts), options: fill,
    get: function () { return control.value; },
    set: function (a) { control.value = a === null || a === undefined ? "" : a; },
    disable: function (d) { control.disabled = d; } };
}

/* Draw a form into `container`. `host` = {values, result, savedAt, notice, canAnswer, readOnlyNote,
 * submit(values, button), listen(fn)}: fn({result, savedAt, notice}) is called with what Python sent back. */
export function mountForm(container, form, host) {
  container.classList.add("coursekit-exercise", "coursekit-form");
  container.setAttribute("role", "group");
  container.setAttribute("aria-label", form.title);
  container.appendChild(el("p", { "class": "coursekit-form-title" }, [el("strong", { text: form.title })]));
  if (form.intro_html) container.appendChild(el("div", { "class": "coursekit-prompt", html: form.intro_html }));
  const alertBox = el("div", { "class": "coursekit-alert", role: "alert" });
  const statusBox = el("p", { "class": "coursekit-status", role: "status" });
  const resultBox = el("div", { "class": "coursekit-feedback coursekit-result", role: "status", "aria-live": "polite" });
  const contextBox = el("div", { "class": "coursekit-context" });
  const fields = {}, buttons = {};
  let timer = null, shownHtml = null;
  container.appendChild(alertBox);
  container.appendChild(contextBox);
  function values() {
    const v = {};
    form.fields.forEach(function (f) {
      const raw = fields[f.name].get();
      v[f.name] = f.kind === "number" ? Number(raw) : raw;
    });
    return v;
  }
  function problem() {
    for (const f of form.fields) if (f.kind === "number") { const p = numberProblem(f, fields[f.name].get()); if (p) return p; }
    return "";
  }
  function send(button, changedField) {
    clearTimeout(timer);
    const p = problem();
    alertBox.textContent = p ? "\u26A0 " + p : "";
    if (p) return;  /* not sent: the last result stays, the alert says what to fix */
    const v = values();
    /* a field whose options follow the changed one is sent as "": Python chooses it from the new options */
    form.fields.forEach(function (f) { if (changedField && f.follows === changedField) v[f.name] = ""; });
    host.submit(v, button || null);
  }
  function changed(name) { if (form.live) send(null, name); }
  function typing() { if (!form.live) return; clearTimeout(timer); timer = setTimeout(function () { send(null); }, 700); }
  function show(result) {
    if (!result) return;
    Object.keys(result.fields || {}).forEach(function (name) {
      const u = result.fields[name], c = fields[name];
      if (!c) return;
      if (u.options) c.options(u.options);
      if (u.value !== undefined) c.set(u.value);
      if (u.disabled !== undefined) c.disable(u.disabled);
    });
    Object.keys(result.buttons || {}).forEach(function (name) {
      if (buttons[name] && result.buttons[name].disabled !== undefined) buttons[name].disabled = result.buttons[name].disabled;
    });
    if (result.context_html !== undefined) contextBox.innerHTML = result.context_html;
    /* unchanged words are not redrawn, so a screen reader does not hear them again while the participant types */
    if ((result.html || "") !== shownHtml) { shownHtml = result.html || ""; resultBox.innerHTML = shownHtml; }
  }
  form.fields.forEach(function (f) {
    const c = formField(form, f, function () { changed(f.name); }, typing);
    fields[f.name] = c;
    container.appendChild(c.node);
  });
  Object.keys(host.values || {}).forEach(function (name) { if (fields[name]) fields[name].set(host.values[name]); });
  if (host.canAnswer === false) Object.keys(fields).forEach(function (n) { fields[n].disable(true); });
  const bar = el("div", { "class": "coursekit-buttons" }), ask = el("div", { "class": "coursekit-restart" });
  (form.buttons || []).forEach(function (b) {
    const button = el("button", { type: "button", "class": "coursekit-check", text: b.label + (b.confirm ? "\u2026" : "") });
    buttons[b.name] = button;
    button.addEventListener("click", function () {
      if (!b.confirm) { send(b.name); return; }
      /* asked first, with the safe choice focused: one click never wipes a participant's work */
      ask.innerHTML = "";
      const keep = el("button", { type: "button", text: "No, keep them" });
      const yes = el("button", { type: "button", text: "Yes, " + b.label.charAt(0).toLowerCase() + b.label.slice(1) });
      keep.addEventListener("click", function () { ask.innerHTML = ""; button.focus(); });
      yes.addEventListener("click", function () { ask.innerHTML = ""; send(b.name); button.focus(); });
      ask.appendChild(el("p", { role: "alert", text: b.confirm }));
      ask.appendChild(keep); ask.appendChild(yes);
      keep.focus();
    });
    if (host.canAnswer === false) button.disabled = true;
    bar.appendChild(button);
  });
  if (bar.childNodes.length) { container.appendChild(bar); container.appendChild(ask); }
  if (host.canAnswer === false && host.readOnlyNote)
    container.appendChild(el("p", { "class": "coursekit-graded-note", role: "note", text: host.readOnlyNote }));
  container.appendChild(statusBox);
  container.appendChild(resultBox);
  if (host.notice) alertBox.textContent = "\u26A0 " + host.notice;
  if (host.savedAt) statusBox.textContent = "\u2714 Your saved entries are shown (saved " + localTime(host.savedAt) + ").";
  show(host.result);
  host.listen(function (u) {
    if (u.notice !== undefined) alertBox.textContent = u.notice ? "\u26A0 " + u.notice : "";
    if (u.savedAt) statusBox.textContent = "\u2714 Saved " + localTime(u.savedAt) + ".";
    if (u.result) show(u.result);
  });
  watchConnection(container, host);
  container.setAttribute("data-coursekit-ready", "1");
}

/* The name of a lookup key in the book's results: FNV-1a over UTF-16 code units (Python's book_hash). */
export function formHash(key) {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/* The book's host: no kernel, so results come from the ones Python computed at build time (packed: see
 * coursekit.render.interactive.book_form_html). */
export function bookFormHost(data) {
  const listeners = [];
  function lookup(values) {
    const i = data.index[formHash(formKey(data.form, values))];
    if (i === undefined) return null;
    const r = data.results[i];
    return { fields: data.changes[r[0]], html: r[1].map(function (n) { return data.fragments[n]; }).join("") };
  }
  return { values: data.values, result: lookup(data.values), savedAt: "", notice: "", canAnswer: true,
    submit: function (values) {
      const result = lookup(values);
      const u = result ? { notice: "", result: result } : { notice: data.missing };
      listeners.forEach(function (fn) { fn(u); });
    },
    listen: function (fn) { listeners.push(fn); } };
}

/* Topic 2's framing explorer in the book, where no kernel can run coursekit.topics.framing: its cue matcher and its
 * sentence, equal to Python's find_cues and describe (a property-based test compares them on generated
 * statements). Cues are matched on whole words, longest first, in the text folded as `fold` folds it. */
function escapeHtml(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}
export function findCues(cues, text) {
  const lowered = fold(text), taken = new Array(lowered.length).fill(false), found = [], ranked = [];
  Object.keys(cues).forEach(function (v) { cues[v].forEach(function (c) { ranked.push([c, v]); }); });
  ranked.sort(function (a, b) { return b[0].length - a[0].length; });  /* stable, as Python's sorted */
  ranked.forEach(function (p) {
    const pattern = new RegExp("(?<![a-z])" + p[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?![a-z])", "g");
    for (const m of lowered.matchAll(pattern)) {
      const start = m.index, end = start + m[0].length;
      if (taken.slice(start, end).some(Boolean)) continue;
      for (let i = start; i < end; i++) taken[i] = true;
      found.push({ vision: p[1], cue: p[0], start: start });
    }
  });
  return found.sort(function (a, b) { return a.start - b.start; });
}
export function describeCues(cues, visions, text) {
  if (blank(text)) return "Type or paste a sentence first.";
  const grouped = {};
  visions.forEach(function (v) { grouped[v[0]] = []; });
  findCues(cues, text).forEach(function (m) { grouped[m.vision].push(m.cue); });
  const parts = visions.filter(function (v) { return grouped[v[0]].length; })
    .map(function (v) { return v[1] + ": " + grouped[v[0]].map(pyRepr).join(", "); });
  if (!parts.length) return "No cue words from the course's list were found. That does not make the sentence neutral: " +
    "read what it assumes about who decides and what counts as a threat.";
  const best = Math.max.apply(null, visions.map(function (v) { return grouped[v[0]].length; }));
  const leaders = visions.filter(function (v) { return grouped[v[0]].length === best; });
  const verdict = leaders.length === 1 ? "The vocabulary leans towards: " + leaders[0][1] + "."
    : "The vocabulary is mixed: cues point to more than one vision equally.";
  return "Cue words found. " + parts.join(" | ") + ". " + verdict + " Vocabulary is a clue, not proof.";
}
/* The framing explorer's result, as coursekit.topics.framing's form computes it. */
export function framingResult(data, values, button) {
  if (button === null && blank(values.statement)) return { html: "", fields: {} };
  return { html: "<p>" + escapeHtml(describeCues(data.cues, data.visions, values.statement)) + "</p>", fields: {} };
}
function framingBookHost(data) {
  const listeners = [];
  return { values: data.values, result: framingResult(data, data.values, null), savedAt: "", notice: "", canAnswer: true,
    submit: function (values, button) {
      const u = { notice: "", result: framingResult(data, values, button) };
      listeners.forEach(function (fn) { fn(u); });
    },
    listen: function (fn) { listeners.push(fn); } };
}

/* ---- the book: no kernel; practice answers are remembered in this browser ---- */
const GRADED_NOTE = "This is a graded exercise: the book cannot record it. Answer it in this topic's notebook in " +
  "JupyterLab, on your course's hub or in a local JupyterLab with nbgrader, and submit it from the " +
  "Assignments tab. Binder can run the notebook but cannot submit.";

/* The book's page on graded exercises, from any page of the book (Sphinx gives the way back to its root). */
function howtoLink() {
  const root = document.documentElement.getAttribute("data-content_root");
  return root === null ? "" : root + "book/howto.html#graded-exercises-where-to-answer-and-submit";
}

function browserHost(spec) {
  const key = "coursekit:" + spec.id + ":answer", listeners = [];
  let answer = null;
  try { answer = JSON.parse(localStorage.getItem(key)); } catch (e) { answer = null; }
  return { answer: answer, savedAt: "", notice: "", canAnswer: spec.mode === "practice", readOnlyNote: GRADED_NOTE,
    howto: howtoLink(), savedLabel: "Remembered in this browser",
    save: function (a) {
      try { localStorage.setItem(key, JSON.stringify(a)); } catch (e) { return; }
      const now = new Date().toISOString();
      listeners.forEach(function (fn) { fn({ savedAt: now }); });
    },
    listen: function (fn) { listeners.push(fn); } };
}

export function startBook() {
  /* the line a notebook viewer shows under a saved copy of an exercise; the book has its own notes */
  document.querySelectorAll("p.coursekit-kernel-note").forEach(function (n) { n.remove(); });
  document.querySelectorAll(".coursekit-exercise[data-coursekit-id]").forEach(function (c) {
    if (c.getAttribute("data-ready")) return;
    const spec = JSON.parse(c.querySelector("script.coursekit-spec").textContent);
    c.setAttribute("data-ready", "1");
    mount(c, spec, browserHost(spec));
  });
  document.querySelectorAll(".coursekit-book-form[data-coursekit-form]").forEach(function (c) {
    if (c.getAttribute("data-ready")) return;
    const data = JSON.parse(c.querySelector("script.coursekit-form-data").textContent);
    c.setAttribute("data-ready", "1");
    const walkthrough = c.querySelector(".coursekit-walkthrough");
    if (walkthrough) walkthrough.setAttribute("hidden", "");
    const root = document.createElement("div");
    root.setAttribute("data-ready", "1");  /* like an exercise's container, for whatever waits on it */
    c.appendChild(root);
    mountForm(root, data.form, data.compute === "framing" ? framingBookHost(data) : bookFormHost(data));
  });
}

/* ---- the instructor's marking view (coursekit.grading.marking_view): one written item, answer after answer ----
 * Python sends a `screen` (the current answer, the rubric with the levels chosen, the score, the comment, the
 * comment bank, progress) and does every change; the page draws it and sends requests {action, ...}. The
 * participant's text is drawn with textContent only: markup in it stays visible characters. While names are
 * hidden the screen carries no id or name at all. Keyboard: the marking surface takes number keys for the
 * current criterion's levels (then moves to the next criterion), Shift+number inserts a bank comment,
 * Enter or n goes to the next answer, p to the previous one, c to the comment box (Esc leaves it). */
const MARKING_KEYS = "Keys: 1\u20139 choose a level of the current criterion (\u25B6), then the next criterion " +
  "\u00B7 \u2191 \u2193 change criterion \u00B7 Shift+1\u20139 add a comment from the bank \u00B7 c write a comment " +
  "(Esc: back) \u00B7 b: keep the comment's last line in the current criterion's bank \u00B7 Enter or n: next answer \u00B7 p: previous answer";
export function mountMarking(container, host) {
  container.classList.add("coursekit-exercise", "coursekit-marking");
  container.setAttribute("role", "region");
  const keysId = "coursekit-marking-keys-" + (++uid);
  const surface = el("div", { "class": "coursekit-marking-surface", tabindex: "0", "data-mk": "surface",
    "data-lm-suppress-shortcuts": "true", "aria-describedby": keysId });
  const alertBox = el("div", { "class": "coursekit-alert", role: "alert" });
  const top = el("div"), rubric = el("div", { "class": "coursekit-marking-rubric" }), rest = el("div");
  const comment = el("textarea", { "class": "coursekit-text", rows: "3", "data-mk": "comment",
    id: "coursekit-marking-comment-" + uid });
  const commentBox = el("div", { "class": "coursekit-field" }, [
    el("label", { "for": comment.id, text: "Comment to this participant (c; Esc returns to marking)" }), comment]);
  const bank = el("div"), edit = el("div");
  let screen = host.screen, seq = 0, cursor = 0, current = screen.index || 0, timer = null, sentComment = null;
  container.appendChild(alertBox);
  container.appendChild(surface);
  surface.appendChild(top); surface.appendChild(rubric); surface.appendChild(commentBox);
  surface.appendChild(bank); surface.appendChild(rest);
  container.appendChild(edit);
  container.appendChild(el("p", { "class": "coursekit-help", id: keysId, text: MARKING_KEYS }));
  function send(request) { request.seq = ++seq; host.request(request); }
  function go(index) {
    if (!screen.count) return;
    const to = Math.max(0, Math.min(index, screen.count - 1));
    sendComment();
    if (to === current) { alertBox.textContent = to === screen.count - 1 ? "\u2139 This is the last answer." : ""; return; }
    current = to; cursor = 0;
    send({ action: "go", index: to });
  }
  function choose(criterion, level) {
    const c = (screen.criteria || [])[criterion];
    if (!c || level >= c.levels.length) { alertBox.textContent = "\u26A0 No level " + (level + 1) + " here."; return; }
    send({ action: "level", index: current, criterion: criterion, level: level });
    cursor = Math.min(criterion + 1, screen.criteria.length - 1);
    drawRubric();  /* the current criterion moves at once; the chosen level shows when Python answers */
  }
  function sendComment() {
    clearTimeout(timer);
    if (sentComment !== null && comment.value !== sentComment) {
      sentComment = comment.value;
      send({ action: "comment", index: current, text: comment.value });
    }
  }
  comment.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(sendComment, 700); });
  comment.addEventListener("blur", sendComment);
  function keepInBank(criterion) {  /* the comment box's last line, kept for reuse under `criterion` */
    const text = comment.value.trim().split("\n").pop();
    if (!text) { alertBox.textContent = "\u26A0 Write the comment to keep in the comment box first."; return; }
    sendComment();
    send({ action: "bank-add", criterion: criterion, text: text });
  }
  function focusKey(key) {
    const node = container.querySelector("[data-mk='" + key + "']");
    if (node) node.focus();
  }
  function drawTop() {
    top.innerHTML = "";
    top.appendChild(el("p", { "class": "coursekit-form-title" }, [el("strong", { text: screen.title || "Marking" })]));
    if (screen.empty) { top.appendChild(el("p", { text: screen.empty })); return; }
    const names = el("button", { type: "button", "data-mk": "names", "aria-pressed": screen.show_names ? "true" : "false",
      text: screen.show_names ? "Hide names" : "Show names" });
    names.addEventListener("click", function () { send({ action: "names", show: !screen.show_names }); });
    top.appendChild(el("p", { "class": "coursekit-marking-who" }, [
      el("strong", { text: screen.position }), screen.who ? " \u2014 " + screen.who : "", " ", names]));
    top.appendChild(el("p", { "class": "coursekit-status coursekit-marking-progress", role: "status", text: screen.progress }));
    if (screen.flag) top.appendChild(el("p", { "class": "coursekit-alert coursekit-marking-flag", text: "\u2691 " + screen.flag }));
    if (screen.copies) top.appendChild(el("p", { "class": "coursekit-marking-copies", text: "\u2248 " + screen.copies }));
    top.appendChild(el("div", { "class": "coursekit-prompt", html: screen.prompt_html }));
    if (screen.model_answer)
      top.appendChild(el("details", {}, [el("summary", { text: "Model answer" }),
        el("div", { "class": "coursekit-marking-text", text: screen.model_answer })]));
    top.appendChild(el("p", {}, [el("strong", { text: "Answer" })]));
    top.appendChild(el("div", { "class": "coursekit-marking-text coursekit-marking-answer", text: screen.text || "" }));
    if (screen.text_note) top.appendChild(el("p", { "class": "coursekit-graded-note", text: screen.text_note }));
  }
  function drawRubric() {
    rubric.innerHTML = "";
    (screen.criteria || []).forEach(function (c, n) {
      const legend = el("legend", {}, [n === cursor ? el("span", { "aria-hidden": "true", text: "\u25B6 " }) : null,
        (n + 1) + ". " + c.name + " (" + pyG(c.points) + ")", n === cursor ? el("span", { "class": "coursekit-sr", text: " (current)" }) : null]);
      const set = el("fieldset", { "class": "coursekit-marking-criterion", "data-current": n === cursor ? "1" : "0" }, [legend]);
      c.levels.forEach(function (lv, k) {
        const pressed = c.chosen === k;
        const b = el("button", { type: "button", "aria-pressed": pressed ? "true" : "false", "data-mk": "level-" + n + "-" + k,
          text: (pressed ? "\u2714 " : "") + (k + 1) + " \u00B7 " + lv.label + " (" + pyG(lv.points) + ")" });
        b.addEventListener("click", function () { cursor = n; choose(n, k); });
        set.appendChild(b);
      });
      rubric.appendChild(set);
    });
    if (screen.criteria) {
      const open = screen.criteria.filter(function (c) { return c.chosen === null || c.chosen === undefined; }).length;
      rubric.appendChild(el("p", { "class": "coursekit-marking-score" }, [el("strong", { text:
        screen.score === null || screen.score === undefined
          ? "Score: not yet (" + open + " criteri" + (open === 1 ? "on" : "a") + " without a level) of " + pyG(screen.max)
          : "Score: " + pyG(screen.score) + " of " + pyG(screen.max) })]));
    }
  }
  function drawBank() {
    bank.innerHTML = "";
    if (!screen.criteria) return;
    const list = el("ul", { "class": "coursekit-marking-bank" });
    (screen.bank || []).forEach(function (b, k) {
      const insert = el("button", { type: "button", "data-mk": "bank-" + k,
        text: (k < 9 ? "Shift+" + (k + 1) + " \u00B7 " : "") + b.name + ": " + b.text });
      insert.addEventListener("click", function () { sentComment = null; send({ action: "bank-insert", index: current, entry: k }); });
      list.appendChild(el("li", {}, [insert]));
    });
    const which = el("select", { "data-mk": "bank-criterion", "aria-label": "Criterion of the comment to keep" },
      screen.criteria.map(function (c, n) { return el("option", { value: String(n), text: c.name }); }));
    which.value = String(cursor);
    const keep = el("button", { type: "button", "data-mk": "bank-add", text: "Keep the comment in the bank of" });
    keep.addEventListener("click", function () { keepInBank(Number(which.value)); });
    bank.appendChild(el("p", {}, [el("strong", { text: "Comment bank" })]));
    if ((screen.bank || []).length) bank.appendChild(list);
    bank.appendChild(el("p", {}, [keep, " ", which]));
    const prev = el("button", { type: "button", "data-mk": "prev", text: "\u25C0 Previous answer (p)" });
    const next = el("button", { type: "button", "data-mk": "next", text: "Next answer (Enter) \u25B6" });
    prev.addEventListener("click", function () { go(current - 1); });
    next.addEventListener("click", function () { go(current + 1); });
    rest.innerHTML = "";
    rest.appendChild(el("div", { "class": "coursekit-buttons" }, [prev, next]));
  }
  function drawEdit() {
    edit.innerHTML = "";
    if (!screen.criteria) return;
    const level = el("select", { "data-mk": "edit-level", "aria-label": "Level to change" });
    screen.criteria.forEach(function (c, n) {
      c.levels.forEach(function (lv, k) {
        level.appendChild(el("option", { value: n + ":" + k, text: (n + 1) + "." + (k + 1) + " " + c.name + ": " + lv.label + " (" + pyG(lv.points) + ")" }));
      });
    });
    const points = el("input", { type: "number", step: "any", min: "0", "data-mk": "edit-points", "aria-label": "New points" });
    const apply = el("button", { type: "button", "data-mk": "edit-apply", text: "Change the points for every answer" });
    apply.addEventListener("click", function () {
      const parts = level.value.split(":"), value = Number(points.value);
      if (points.value === "" || !isFinite(value)) { alertBox.textContent = "\u26A0 Enter the new points."; return; }
      send({ action: "points", criterion: Number(parts[0]), level: Number(parts[1]), points: value });
    });
    edit.appendChild(el("details", { "class": "coursekit-marking-edit" }, [
      el("summary", { text: "Change a level's points for everyone (re-scores every answer marked with it)" }),
      el("p", {}, [level, " ", points, " ", apply])]));
  }
  function draw() {
    const active = document.activeElement, key = active && container.contains(active) ? active.getAttribute("data-mk") : null;
    const editOpen = edit.querySelector("details") && edit.querySelector("details").open;
    if (!screen.criteria || screen.index !== current) cursor = 0;
    current = screen.index || 0;
    drawTop(); drawRubric(); drawBank(); drawEdit();
    if (editOpen) edit.querySelector("details").open = true;
    if (document.activeElement !== comment) { comment.value = screen.comment || ""; sentComment = comment.value; }
    commentBox.hidden = !screen.criteria;
    if (key && key !== "comment") focusKey(key);
  }
  surface.addEventListener("keydown", function (e) {
    const target = e.target, tag = target.tagName.toLowerCase();
    if (tag === "textarea" || tag === "input" || tag === "select") {
      if (e.key === "Escape" && target === comment) { e.preventDefault(); sendComment(); surface.focus(); }
      return;
    }
    if (e.ctrlKey || e.altKey || e.metaKey || !screen.criteria) return;
    const digit = /^Digit([1-9])$/.exec(e.code) || /^Numpad([1-9])$/.exec(e.code);
    let done = true;
    if (digit && e.shiftKey) { sentComment = null; send({ action: "bank-insert", index: current, entry: Number(digit[1]) - 1 }); }
    else if (/^[1-9]$/.test(e.key)) choose(cursor, Number(e.key) - 1);
    else if (e.key === "ArrowDown") { cursor = Math.min(cursor + 1, screen.criteria.length - 1); drawRubric(); }
    else if (e.key === "ArrowUp") { cursor = Math.max(cursor - 1, 0); drawRubric(); }
    else if ((e.key === "Enter" && target === surface) || e.key === "n") go(current + 1);
    else if (e.key === "p") go(current - 1);
    else if (e.key === "c") comment.focus();
    else if (e.key === "b") keepInBank(cursor);
    else done = false;
    if (done) { e.preventDefault(); e.stopPropagation(); }
  });
  host.listen(function (u) {
    if (u.notice !== undefined) alertBox.textContent = u.notice ? "\u26A0 " + u.notice : "";
    /* an answer to an older request is not drawn: a newer one is on its way, and the page already moved on */
    if (u.screen && (u.screen.seq || 0) >= seq) { screen = u.screen; draw(); }
  });
  draw();
  watchConnection(container, host);
  container.setAttribute("data-coursekit-ready", "1");
}

/* ---- JupyterLab: an anywidget view; the kernel saves every answer in the answers file ---- */
const PONG_WAIT_MS = 3000;
function kernelConnection(model) {
  return function (fn) {
    let live = false, timer = null;
    const pong = function (msg) { if (msg && msg.type === "pong") { clearTimeout(timer); if (!live) { live = true; fn(true); } } };
    model.on("msg:custom", pong);
    model.send({ type: "ping" });  /* a model restored from the notebook has no kernel: nothing is sent, no pong */
    timer = setTimeout(function () { if (!live) fn(false); }, PONG_WAIT_MS);
  };
}
function kernelHost(model) {
  const spec = model.get("spec");
  return { answer: model.get("answer"), savedAt: model.get("saved_at"), notice: model.get("notice"), canAnswer: true,
    savedLabel: spec.mode === "practice" ? "Saved" : "Saved for grading",
    save: function (a) { model.set("answer", a); model.save_changes(); },
    connection: kernelConnection(model),
    listen: function (fn) {
      const saved = function () { fn({ savedAt: model.get("saved_at") }); };
      const notice = function () { fn({ notice: model.get("notice") }); };
      model.on("change:saved_at", saved); model.on("change:notice", notice);
      return function () { model.off("change:saved_at", saved); model.off("change:notice", notice); };
    } };
}

function formHost(model) {
  let seq = 0;
  return { values: model.get("values"), result: model.get("result"), savedAt: model.get("saved_at"),
    notice: model.get("notice"), canAnswer: true, connection: kernelConnection(model),
    submit: function (values, button) { model.set("request", { values: values, button: button, seq: ++seq }); model.save_changes(); },
    listen: function (fn) {
      const handlers = { "change:result": function () { fn({ result: model.get("result") }); },
        "change:saved_at": function () { fn({ savedAt: model.get("saved_at") }); },
        "change:notice": function () { fn({ notice: model.get("notice") }); } };
      Object.keys(handlers).forEach(function (k) { model.on(k, handlers[k]); });
      return function () { Object.keys(handlers).forEach(function (k) { model.off(k, handlers[k]); }); };
    } };
}

function markingHost(model) {
  return { screen: model.get("screen"), connection: kernelConnection(model),
    /* one message per request: a synced trait set twice before the kernel answers reaches it once */
    request: function (r) { model.send({ type: "marking", request: r }); },
    listen: function (fn) {
      const handlers = { "change:screen": function () { fn({ screen: model.get("screen") }); },
        "change:notice": function () { fn({ notice: model.get("notice") }); } };
      Object.keys(handlers).forEach(function (k) { model.on(k, handlers[k]); });
      return function () { Object.keys(handlers).forEach(function (k) { model.off(k, handlers[k]); }); };
    } };
}

function render(ctx) {
  const root = document.createElement("div");
  if (ctx.model.get("screen")) {  /* the instructor's marking view (coursekit.grading.marking_view) */
    ctx.el.appendChild(root);
    const host = markingHost(ctx.model);
    let stopMarking = null;
    const listenMarking = host.listen;
    host.listen = function (fn) { stopMarking = listenMarking(fn); };
    mountMarking(root, host);
    return function () { if (stopMarking) stopMarking(); };
  }
  if (ctx.model.get("form")) {  /* a topic interactive (InteractiveForm), not an exercise */
    ctx.el.appendChild(root);
    const host = formHost(ctx.model);
    let stopForm = null;
    const listenForm = host.listen;
    host.listen = function (fn) { stopForm = listenForm(fn); };
    mountForm(root, ctx.model.get("form"), host);
    return function () { if (stopForm) stopForm(); };
  }
  ctx.el.appendChild(root);
  const host = kernelHost(ctx.model);
  let stop = null;
  const listen = host.listen;
  host.listen = function (fn) { stop = listen(fn); };
  mount(root, ctx.model.get("spec"), host);
  return function () { if (stop) stop(); };
}

export default { render };
