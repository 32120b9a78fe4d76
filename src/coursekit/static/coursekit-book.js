/* coursekit exercises in the compiled book: practice exercises answered in the browser, no kernel.
 * Scoring and feedback mirror coursekit/scoring.py and coursekit/feedback.py sentence for sentence
 * (a browser test compares the two). Answers are remembered in this browser (localStorage) only. */
(function () {
  "use strict";
  var RIGHT = "\u2713", WRONG = "\u2717", MISSED = "\u25CB", INFO = "\u2139";
  var uid = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "html") node.innerHTML = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function g(x) { return String(Math.round(x * 1e6) / 1e6); }
  function clamp(f) { return Math.min(1, Math.max(0, f)); }
  function status(f) { return f >= 1 ? "correct" : f <= 0 ? "wrong" : "partial"; }
  function empty(a) {
    return a === null || a === undefined || a === "" || (Array.isArray(a) && a.length === 0) ||
      (typeof a === "object" && !Array.isArray(a) && Object.keys(a).length === 0);
  }
  function headline(st, detail) {
    return { correct: RIGHT + " Correct.", partial: "\u25D0 Partly right: " + detail,
             wrong: WRONG + " Not quite. " + detail, unanswered: INFO + " Choose or enter an answer first." }[st];
  }
  function key(spec, name) { return "coursekit:" + spec.id + ":" + name; }
  function remember(spec, answer) { try { localStorage.setItem(key(spec, "answer"), JSON.stringify(answer)); } catch (e) {} }
  function recall(spec) { try { return JSON.parse(localStorage.getItem(key(spec, "answer"))); } catch (e) { return null; } }

  /* ---- scoring: returns {status, detail, lines} exactly as coursekit.feedback.feedback ---- */
  function assess(spec, a) {
    if (empty(a)) return { status: "unanswered", lines: [] };
    var lines = [], f = 0, detail = "", t = spec.type;
    if (t === "single-choice") {
      var right = a === spec.key;
      f = right ? 1 : 0; detail = right ? "Right option." : "Not the right option.";
      var chosen = spec.choices.filter(function (c) { return c.value === a; })[0];
      lines.push([right ? RIGHT : WRONG, chosen.feedback]);
    } else if (t === "multiple-select") {
      var hits = a.filter(function (v) { return spec.key.indexOf(v) >= 0; }).length;
      var misses = a.length - hits;
      f = (hits - misses) / spec.key.length;
      detail = hits + " of " + spec.key.length + " right options selected, " + misses + " wrong.";
      spec.choices.forEach(function (c) {
        if (a.indexOf(c.value) >= 0) lines.push([spec.key.indexOf(c.value) >= 0 ? RIGHT : WRONG, c.text + ": " + c.feedback]);
        else if (spec.key.indexOf(c.value) >= 0) lines.push([MISSED, "Missed: " + c.text + ": " + c.feedback]);
      });
    } else if (t === "matching") {
      var lefts = Object.keys(spec.key), ok = 0;
      lefts.forEach(function (l) {
        var target = spec.key[l], given = a[l], note = (spec.explanations || {})[l] || "";
        if (given === target) { ok++; lines.push([RIGHT, (l + " \u2192 " + target + ". " + note).trim()]); }
        else lines.push([WRONG, (l + ": you chose " + (given || "nothing") + "; the answer is " + target + ". " + note).trim()]);
      });
      f = ok / lefts.length; detail = ok + " of " + lefts.length + " pairs right.";
    } else if (t === "ordering") {
      var pos = {}, inOrder = 0, pairs = 0, place = 0;
      spec.key.forEach(function (item, i) { pos[item] = i; });
      for (var i = 0; i < a.length; i++) for (var j = i + 1; j < a.length; j++) { pairs++; if (pos[a[i]] < pos[a[j]]) inOrder++; }
      a.forEach(function (item, i) {
        if (item === spec.key[i]) { place++; lines.push([RIGHT, (i + 1) + ". " + spec.key[i]]); }
        else lines.push([WRONG, (i + 1) + ". " + spec.key[i] + " (you placed " + item + " here)"]);
      });
      f = inOrder / pairs; detail = place + " of " + a.length + " items in the right place.";
    } else if (t === "numeric") {
      var unit = spec.unit ? " " + spec.unit : "";
      var within = Math.abs(a - spec.key) <= spec.tolerance + 1e-9;
      f = within ? 1 : 0; detail = g(a) + unit + " is " + (within ? "within" : "outside") + " the accepted range.";
      lines.push([within ? RIGHT : WRONG, "The expected answer is " + g(spec.key) + unit + "."]);
      if (spec.explanation) lines.push([INFO, spec.explanation]);
    } else if (t === "short-text") {
      if (!a.trim()) return { status: "unanswered", lines: [] };
      var text = a.toLowerCase(), found = 0;
      spec.keywords.forEach(function (w) {
        var has = text.indexOf(w.toLowerCase()) >= 0; if (has) found++;
        lines.push([has ? RIGHT : MISSED, (has ? "Mentions " : "Does not mention ") + "'" + w + "'"]);
      });
      if (spec.model_answer) lines.push([INFO, "Model answer: " + spec.model_answer]);
      f = spec.keywords.length ? found / spec.keywords.length : 1;
      detail = spec.keywords.length ? found + " of " + spec.keywords.length + " key ideas mentioned." : "";
    } else if (t === "scenario") {
      var earned = 0, steps = {};
      spec.steps.forEach(function (s) { steps[s.id] = s; });
      a.forEach(function (p) { earned += option(steps[p[0]], p[1]).points; });
      var best = bestTotal(spec, steps), last = a[a.length - 1];
      var done = option(steps[last[0]], last[1]).next === null;
      f = best > 0 ? earned / best : 1;
      detail = g(earned) + " of a possible " + g(best) + " decision points." + (done ? "" : " The scenario was not finished.");
      if (spec.debrief && done) lines.push([INFO, spec.debrief]);
    }
    return { status: status(clamp(f)), detail: detail, lines: lines };
  }
  function option(step, value) { return step.options.filter(function (o) { return o.value === value; })[0]; }
  function bestTotal(spec, steps) {
    var memo = {};
    function best(id) {
      if (!(id in memo)) memo[id] = Math.max.apply(null, steps[id].options.map(function (o) {
        return o.points + (o.next ? best(o.next) : 0); }));
      return memo[id];
    }
    return best(spec.start);
  }

  function showFeedback(box, result) {
    box.innerHTML = "";
    box.appendChild(el("strong", { text: headline(result.status, result.detail) }));
    if (result.lines.length) {
      var ul = el("ul", { "class": "coursekit-feedback-lines" });
      result.lines.forEach(function (l) {
        ul.appendChild(el("li", {}, [el("span", { "aria-hidden": "true", text: l[0] + " " }), document.createTextNode(l[1])]));
      });
      box.appendChild(ul);
    }
    box.setAttribute("data-status", result.status);
  }

  /* ---- controls: each returns {node, get(), set(answer)} ---- */
  function choiceControl(spec, multiple) {
    var name = "ck-" + spec.id + "-" + (uid++), inputs = [];
    var fs = el("fieldset", {}, [el("legend", { text: multiple ? "Select every option that applies:" : "Your answer:" })]);
    spec.choices.forEach(function (c, i) {
      var id = name + "-" + i;
      var input = el("input", { type: multiple ? "checkbox" : "radio", name: name, id: id, value: c.value });
      inputs.push(input);
      fs.appendChild(el("div", { "class": "coursekit-option" }, [input, el("label", { "for": id, text: " " + c.text })]));
    });
    return { node: fs,
      get: function () {
        var v = inputs.filter(function (x) { return x.checked; }).map(function (x) { return x.value; });
        return multiple ? v : (v[0] || null);
      },
      set: function (a) { inputs.forEach(function (x) { x.checked = multiple ? a.indexOf(x.value) >= 0 : x.value === a; }); } };
  }
  function matchingControl(spec) {
    var box = el("div", { "class": "coursekit-matching" }), selects = [];
    spec.left.forEach(function (l, i) {
      var id = "ck-" + spec.id + "-m" + i + "-" + (uid++);
      var sel = el("select", { id: id }, [el("option", { value: "", text: "\u2014 choose \u2014" })]);
      spec.right.forEach(function (r) { sel.appendChild(el("option", { value: r, text: r })); });
      selects.push(sel);
      box.appendChild(el("div", { "class": "coursekit-pair" }, [el("label", { "for": id, text: l + " " }), sel]));
    });
    return { node: box,
      get: function () { var o = {}; selects.forEach(function (s, i) { if (s.value) o[spec.left[i]] = s.value; }); return o; },
      set: function (a) { selects.forEach(function (s, i) { s.value = a[spec.left[i]] || ""; }); } };
  }
  function orderingControl(spec) {
    var order = spec.items.slice(), list = el("ol", { "class": "coursekit-ordering" });
    var live = el("p", { "class": "coursekit-sr", "aria-live": "polite" });
    function draw(focusIndex, focusDir) {
      list.innerHTML = "";
      order.forEach(function (item, i) {
        var up = el("button", { type: "button", text: "Move up", "aria-label": "Move up: \u201C" + item + "\u201D" });
        var down = el("button", { type: "button", text: "Move down", "aria-label": "Move down: \u201C" + item + "\u201D" });
        up.disabled = i === 0; down.disabled = i === order.length - 1;
        up.onclick = function () { move(i, -1); }; down.onclick = function () { move(i, 1); };
        list.appendChild(el("li", {}, [el("span", { text: item + " " }), up, down]));
        if (focusIndex === i) (focusDir < 0 ? (up.disabled ? down : up) : (down.disabled ? up : down)).focus();
      });
    }
    function move(i, d) {
      var j = i + d; if (j < 0 || j >= order.length) return;
      var t = order[i]; order[i] = order[j]; order[j] = t;
      draw(j, d); live.textContent = "\u201C" + order[j] + "\u201D is now number " + (j + 1) + ".";
    }
    draw();
    return { node: el("div", {}, [el("p", { text: "Use the buttons to put the items in order (first at the top):" }), list, live]),
      get: function () { return order.slice(); }, set: function (a) { order = a.slice(); draw(); } };
  }
  function numericControl(spec) {
    var id = "ck-" + spec.id + "-n" + (uid++), unit = spec.unit ? " (" + spec.unit + ")" : "";
    var input = el("input", { type: "number", id: id, step: spec.step || 1 });
    if (spec.minimum !== null && spec.minimum !== undefined) input.min = spec.minimum;
    if (spec.maximum !== null && spec.maximum !== undefined) input.max = spec.maximum;
    return { node: el("div", {}, [el("label", { "for": id, text: "Your answer" + unit + ": " }), input]),
      get: function () { return input.value === "" ? null : Number(input.value); },
      set: function (a) { input.value = a; } };
  }
  function textControl(spec) {
    var id = "ck-" + spec.id + "-t" + (uid++);
    var area = el("textarea", { id: id, rows: "5", "class": "coursekit-text" });
    return { node: el("div", {}, [el("label", { "for": id, text: "Your answer:" }), el("br"), area]),
      get: function () { return area.value; }, set: function (a) { area.value = a; } };
  }

  function scenario(root, spec, feedback) {
    var steps = {}, path = [];
    spec.steps.forEach(function (s) { steps[s.id] = s; });
    var history = el("ol", { "class": "coursekit-history" }), situation = el("div"), form = el("div");
    var restart = el("button", { type: "button", text: "Start again" });
    root.appendChild(history); root.appendChild(situation); root.appendChild(form); root.appendChild(restart);
    function current() {
      if (!path.length) return spec.start;
      var last = path[path.length - 1]; return option(steps[last[0]], last[1]).next;
    }
    function draw() {
      history.innerHTML = "";
      path.forEach(function (p, n) {
        var o = option(steps[p[0]], p[1]);
        history.appendChild(el("li", {}, [el("strong", { text: "Decision " + (n + 1) + ": " }), document.createTextNode(o.text),
          el("br"), el("em", { text: "What happened: " }), document.createTextNode(o.consequence)]));
      });
      var id = current(); form.innerHTML = "";
      if (id === null) {
        situation.innerHTML = "<p><strong>End of the scenario.</strong></p>";
        showFeedback(feedback, assess(spec, path));
        return;
      }
      situation.innerHTML = steps[id].situation_html;
      var control = choiceControl({ id: spec.id + "-" + id, choices: steps[id].options }, false);
      control.node.querySelector("legend").textContent = "Your decision:";
      var decide = el("button", { type: "button", text: "Decide", "class": "coursekit-check" });
      decide.onclick = function () {
        var v = control.get();
        if (!v) { showFeedback(feedback, { status: "unanswered", lines: [] }); feedback.firstChild.textContent = INFO + " Choose a decision first."; return; }
        path.push([id, v]); remember(spec, path); feedback.innerHTML = ""; draw();
      };
      form.appendChild(control.node); form.appendChild(decide);
    }
    restart.onclick = function () { path = []; remember(spec, path); feedback.innerHTML = ""; draw(); };
    var saved = recall(spec); if (Array.isArray(saved)) path = saved;
    draw();
  }

  function render(container) {
    var spec = JSON.parse(container.querySelector("script.coursekit-spec").textContent);
    var points = spec.points + " point" + (spec.points === 1 ? "" : "s");
    var mode = spec.mode === "practice" ? "Practice" : "Graded";
    container.appendChild(el("div", { "class": "coursekit-badge", text: mode + " \u00B7 " + points + " \u00B7 " + spec.outcomes.join(", ") }));
    container.appendChild(el("div", { "class": "coursekit-prompt", html: spec.prompt_html }));
    if (spec.mode !== "practice") {
      // Kept in step with book/howto.md ("Graded exercises: where to answer and submit").
      var note = "This is a graded exercise: the book cannot record it. Answer it in this topic's notebook in " +
        "JupyterLab, on your course's hub or in a local JupyterLab with nbgrader, and submit it from the " +
        "Assignments tab. Binder can run the notebook but cannot submit.";
      if (spec.choices) container.appendChild(el("ul", {}, spec.choices.map(function (c) { return el("li", { text: c.text }); })));
      if (spec.items) container.appendChild(el("ul", {}, spec.items.map(function (c) { return el("li", { text: c }); })));
      if (spec.left) container.appendChild(el("ul", {}, spec.left.map(function (c) { return el("li", { text: c }); })));
      container.appendChild(el("p", { "class": "coursekit-graded-note", role: "note", text: note }));
      return;
    }
    var feedback = el("div", { "class": "coursekit-feedback", role: "status", "aria-live": "polite" });
    if (spec.type === "scenario") { scenario(container, spec, feedback); container.appendChild(feedback); return; }
    var control = { "single-choice": function () { return choiceControl(spec, false); },
      "multiple-select": function () { return choiceControl(spec, true); }, matching: function () { return matchingControl(spec); },
      ordering: function () { return orderingControl(spec); }, numeric: function () { return numericControl(spec); },
      "short-text": function () { return textControl(spec); } }[spec.type]();
    var check = el("button", { type: "button", "class": "coursekit-check", text: spec.type === "short-text" ? "Compare with the model answer" : "Check" });
    check.onclick = function () { var a = control.get(); remember(spec, a); showFeedback(feedback, assess(spec, a)); };
    container.appendChild(control.node); container.appendChild(check); container.appendChild(feedback);
    var saved = recall(spec);
    if (!empty(saved)) { control.set(saved); showFeedback(feedback, assess(spec, saved)); }
  }

  window.coursekitAssess = assess;
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".coursekit-exercise"), function (c) {
      if (!c.getAttribute("data-ready")) { c.setAttribute("data-ready", "1"); render(c); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
