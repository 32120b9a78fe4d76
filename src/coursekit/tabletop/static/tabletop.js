// The tabletop pages: the participant's view (play.html) and the facilitator's console (console.html).
// Everything shown comes from the service's JSON and is put on the page with textContent, never as markup.
"use strict";
(function () {
  const body = document.body;
  const XSRF = body.dataset.xsrf;
  const PAGE = body.dataset.page;
  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);

  function el(tag, text, attrs) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }
  function fiction(parent, isFiction) {
    if (isFiction) { parent.append(el("span", "Fiction (exercise)", { class: "fiction" }), " "); }
  }
  function list(items, render) {
    const ul = el("ul");
    for (const item of items) { const li = el("li"); render(li, item); ul.append(li); }
    return ul;
  }
  function say(text, isError) {
    const s = $("status"); s.textContent = text; s.className = isError ? "error" : "";
  }
  async function api(path, options) {
    // the hub checks its XSRF token on every cookie-authenticated request that is not a page navigation
    const init = Object.assign({ credentials: "same-origin", headers: { "X-XSRFToken": XSRF } }, options || {});
    if (init.body !== undefined) {
      init.method = init.method || "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(init.body);
    }
    const response = await fetch(path, init);
    if (response.status === 204) return null;
    let data = null;
    try { data = await response.json(); } catch (e) { data = { error: "The service sent no readable answer." }; }
    if (!response.ok) {
      const err = new Error((data && data.error) || ("Error " + response.status));
      err.problems = data && data.problems;
      throw err;
    }
    return data;
  }
  function when(at) { return at ? new Date(at * 1000).toLocaleTimeString() : ""; }
  function fillSelect(select, entries) {
    select.replaceChildren(...entries.map(([value, label]) => { const o = el("option", label); o.value = value; return o; }));
  }

  // ---------- the participant's view ----------
  let sessionId = null, version = null, shownInject = null;

  function renderRole(role) {
    const box = $("role-body"); box.replaceChildren();
    const h = el("h3"); fiction(h, role.fiction); h.append(role.name); box.append(h);
    box.append(el("p", role.card.brief));
    box.append(el("h4", "Interests"), list(role.card.interests, (li, x) => { li.textContent = x; }));
    box.append(el("h4", "Red lines"), list(role.card.red_lines, (li, x) => { li.textContent = x; }));
    box.append(el("h4", "Private information (only your team sees this)"));
    box.append(list(role.card.private, (li, x) => { fiction(li, x.fiction); li.append(x.text); }));
    $("role").hidden = false;
  }
  function renderDecision(target, decision, label) {
    target.replaceChildren();
    if (!decision) { target.append(el("p", "Your team has not decided yet.")); return; }
    target.append(el("p", label + " " + decision.text + " (" + when(decision.at) + ")"));
    target.append(el("p", "Rationale: " + decision.rationale));
    target.append(el("p", "Consequence: " + decision.consequence));
  }
  function renderInject(current, status) {
    const inj = current.inject;
    if (shownInject !== inj.id) {  // a new inject: rebuild the form (never while someone types in it)
      shownInject = inj.id;
      const box = $("inject-body"); box.replaceChildren();
      const h = el("h3"); fiction(h, inj.fiction); h.append(inj.title + " (" + inj.date + ")"); box.append(h);
      box.append(el("p", inj.situation));
      box.append(el("p", "Based on:"), list(inj.facts, (li, f) => { li.textContent = f.date + ": " + f.text; }));
      box.append(el("div", null, { id: "branches" }));
      const fs = $("options"); fs.replaceChildren(el("legend", inj.question, { id: "question" }));
      current.options.forEach((o, k) => {
        const row = el("div"); const id = "opt-" + k;
        const input = el("input", null, { type: "radio", name: "option", id: id, value: o.id });
        row.append(input, " ", el("label", o.text, { for: id })); fs.append(row);
      });
      $("rationale").value = ""; $("decide-status").textContent = "";
    }
    const branches = $("branches"); branches.replaceChildren();
    for (const b of current.branches) {
      const p = el("p"); fiction(p, b.fiction); p.append(b.text.replace(/^Fiction \(exercise\): /, "")); branches.append(p);
    }
    const open = status === "running" && !(current.deadline && Date.now() / 1000 > current.deadline);
    $("decide-button").disabled = !open;
    const note = status === "paused" ? "Paused by the facilitator." : current.deadline
      ? "Deadline: " + when(current.deadline) : "No deadline.";
    $("inject-h").textContent = "Current inject · " + note;
    renderDecision($("team-decision"), current.decision, "Your team's decision:");
    $("inject").hidden = false;
  }
  function renderHistory(history) {
    const box = $("history-body"); box.replaceChildren();
    for (const h of history) {
      const div = el("div"); div.append(el("h3", h.inject.title + " (" + h.inject.date + ")"));
      const d = el("div"); renderDecision(d, h.decision, "Your team chose:"); div.append(d);
      for (const o of h.eu_outcome) div.append(el("p", "EU outcome: " + o));
      box.append(div);
    }
    $("history").hidden = history.length === 0;
  }
  function renderDebrief(debrief) {
    const box = $("debrief-body"); box.replaceChildren(el("p", debrief.intro));
    box.append(list(debrief.toolbox, (li, f) => { li.textContent = f.text; }));
    box.append(list(debrief.after_course, (li, f) => {
      li.append(el("span", "Update since the course (" + f.date + ")", { class: "update" }), " " + f.text);
    }));
    const table = el("table"); const head = el("tr");
    for (const t of ["Date", "Inject", "Your team's path", "Toolbox category", "What happened"]) head.append(el("th", t, { scope: "col" }));
    table.append(head);
    for (const r of debrief.rows) {
      const tr = el("tr");
      for (const t of [r.date, r.title, r.choice || "(no decision)", r.category || "", r.actual]) tr.append(el("td", t));
      table.append(tr);
    }
    box.append(table, el("h3", "Questions"), list(debrief.questions, (li, q) => { li.textContent = q; }));
    $("debrief").hidden = false;
  }
  let shownPoll = null;
  function distribution(poll) {
    const total = Object.values(poll.counts).reduce((a, b) => a + b, 0);
    return list(poll.options, (li, o) => {
      const n = poll.counts[o.id] || 0;
      li.textContent = o.text + ": " + n + (total ? " (" + Math.round((100 * n) / total) + "%)" : "");
    });
  }
  function renderPoll(poll) {
    const form = $("poll-form");
    if (poll.open && shownPoll !== poll.open.run) {
      shownPoll = poll.open.run;
      const fs = $("poll-options"); fs.replaceChildren(el("legend", poll.open.question, { id: "poll-question" }));
      poll.open.options.forEach((o, k) => {
        const row = el("div"); const id = "poll-opt-" + k;
        const input = el("input", null, { type: "radio", name: "poll-option", id: id, value: o.id });
        if (poll.open.mine === o.id) input.checked = true;
        row.append(input, " ", el("label", o.text, { for: id })); fs.append(row);
      });
      $("poll-status").textContent = poll.open.mine ? "Your answer is counted." : "";
    }
    form.hidden = !poll.open;
    if (!poll.open) shownPoll = null;
    const results = $("poll-results"); results.replaceChildren();
    if (poll.last && !poll.open) {
      const answer = poll.last.options.find((o) => o.id === poll.last.answer);
      results.append(el("h3", "Last poll: " + poll.last.question), distribution(poll.last));
      results.append(el("p", "Answer: " + (answer ? answer.text : "") + ". " + poll.last.explanation));
    }
    $("poll").hidden = !(poll.open || poll.last);
  }
  async function vote(event) {
    event.preventDefault();
    const chosen = document.querySelector("input[name=poll-option]:checked");
    const status = $("poll-status");
    if (!chosen) { status.textContent = "Choose an answer first."; status.className = "error"; return; }
    try {
      await api("api/play/" + sessionId + "/vote", { body: { run: shownPoll, option: chosen.value } });
      status.textContent = "Your answer is counted."; status.className = "";
    } catch (err) { status.textContent = err.message; status.className = "error"; }
  }
  async function pollPlay() {
    try {
      const view = await api("api/play/" + sessionId + (version === null ? "" : "?since=" + version));
      if (view) {
        version = view.version;
        $("title").textContent = view.session.title;
        renderRole(view.role);
        if (view.current) renderInject(view.current, view.session.status);
        renderHistory(view.history);
        if (view.debrief) renderDebrief(view.debrief);
        if (view.poll) renderPoll(view.poll);
        say(view.session.status === "paused" ? "The exercise is paused." :
            view.current ? "" : "Waiting for the facilitator to release the first inject.");
      }
    } catch (err) { say(err.message, true); }
    setTimeout(pollPlay, POLL_MS);
  }
  async function decide(event) {
    event.preventDefault();
    const chosen = document.querySelector("input[name=option]:checked");
    const status = $("decide-status");
    if (!chosen) { status.textContent = "Choose an option first."; status.className = "error"; return; }
    try {
      await api("api/play/" + sessionId + "/decide", { body: { inject: shownInject, option: chosen.value, rationale: $("rationale").value } });
      status.textContent = "Saved: your team's decision is recorded."; status.className = "";
    } catch (err) { status.textContent = err.message; status.className = "error"; }
  }
  async function startPlay() {
    if (JSON.parse(body.dataset.facilitator || "false")) $("console-link").hidden = false;
    $("decide").addEventListener("submit", decide);
    $("poll-form").addEventListener("submit", vote);
    try {
      const me = await api("api/me");
      const wanted = new URLSearchParams(location.search).get("session");
      const mine = me.sessions.filter((s) => s.status !== "closed");
      if (mine.length === 0) { say("You have no role in a session yet: the facilitator will assign you one."); setTimeout(startPlay, 3000); return; }
      const open = (id) => { sessionId = id; $("choose").hidden = true; pollPlay(); };
      if (wanted && mine.some((s) => s.id === wanted)) return open(wanted);
      if (mine.length === 1) return open(mine[0].id);
      fillSelect($("session-select"), mine.map((s) => [s.id, s.title]));
      $("choose").hidden = false;
      $("session-open").onclick = () => open($("session-select").value);
    } catch (err) { say(err.message, true); }
  }

  // ---------- the facilitator's console ----------
  let consoleId = null, consoleVersion = null, consoleData = null;

  function renderConsole(c) {
    consoleData = c;
    const ex = c.exercise;
    $("session-title").textContent = c.session.title;
    $("session-status").textContent = c.session.status;
    $("pause").textContent = c.session.status === "paused" ? "Resume" : "Pause";
    const released = c.releases.map((r) => r.inject);
    const remaining = ex.injects.filter((i) => !released.includes(i.id));
    fillSelect($("inject-select"), remaining.map((i) => [i.id, i.title + " (" + i.date + ")"]));
    const teams = {};
    for (const [user, role] of Object.entries(c.members)) (teams[role] = teams[role] || []).push(user);
    const mt = el("table"); const mh = el("tr"); mh.append(el("th", "Role", { scope: "col" }), el("th", "Participants", { scope: "col" })); mt.append(mh);
    for (const r of ex.roles) { const tr = el("tr"); tr.append(el("td", r.name), el("td", (teams[r.id] || []).join(", ") || "(nobody)")); mt.append(tr); }
    $("members").replaceChildren(mt);
    const live = $("live"); live.replaceChildren();
    const notes = $("notes"); notes.replaceChildren();
    if (c.releases.length) {
      const current = c.releases[c.releases.length - 1];
      const inj = ex.injects.find((i) => i.id === current.inject);
      live.append(el("p", inj.title + " · released " + when(current.released_at) + (current.deadline ? " · deadline " + when(current.deadline) : "")));
      const options = Object.fromEntries(inj.options.map((o) => [o.id, o.text]));
      const t = el("table"); const h = el("tr");
      for (const x of ["Team", "Decision", "Rationale", "By", "At"]) h.append(el("th", x, { scope: "col" }));
      t.append(h);
      const latest = c.latest[current.inject] || {};
      for (const r of ex.roles) {
        const d = latest[r.id]; const tr = el("tr");
        tr.append(el("td", r.name), el("td", d ? options[d.option] : "(waiting)"), el("td", d ? d.rationale : ""), el("td", d ? d.user : ""), el("td", d ? when(d.at) : ""));
        t.append(tr);
      }
      live.append(t);
      for (const [m, ok] of Object.entries(c.live.measures)) live.append(el("p", "Unanimity now: " + ex.measures[m].name + ": " + (ok ? "every Member State backs it" : "not unanimous")));
      notes.append(el("h4", "Discussion points"), list(inj.facilitator.discussion, (li, x) => { li.textContent = x; }));
      notes.append(el("h4", "Questions to ask"), list(inj.facilitator.questions, (li, x) => { li.textContent = x; }));
      notes.append(el("h4", "What actually happened"), el("p", inj.actual.text));
    }
    notes.append(el("h4", "Timing"), list(ex.facilitator.timing, (li, x) => { li.textContent = x.minutes + " min: " + x.what; }));
    if (!$("poll-select").options.length) fillSelect($("poll-select"), (ex.polls || []).map((q) => [q.id, q.question]));
    const pl = $("poll-live"); pl.replaceChildren();
    for (const run of c.polls.slice().reverse()) {
      const total = Object.values(run.counts).reduce((a, b) => a + b, 0);
      pl.append(el("h4", (run.open ? "Open: " : "Closed: ") + run.question + " (" + total + " answers)"), distribution(run));
    }
    const out = $("outcomes"); out.replaceChildren();
    for (const [inject, texts] of Object.entries(c.outcomes)) for (const t of texts) out.append(el("p", inject + ": " + t));
    $("log").replaceChildren(list(c.log, (li, e) => { li.textContent = when(e.at) + " " + e.user + " " + e.action + " " + e.detail; }));
    $("export-csv").href = "api/sessions/" + c.session.id + "/export.csv";
    $("export-json").href = "api/sessions/" + c.session.id + "/export.json";
  }
  async function pollConsole() {
    try {
      const c = await api("api/sessions/" + consoleId + (consoleVersion === null ? "" : "?since=" + consoleVersion));
      if (c) { consoleVersion = c.version; renderConsole(c); }
    } catch (err) { say(err.message, true); }
    setTimeout(pollConsole, POLL_MS);
  }
  function openConsole(id) {
    const first = consoleId === null;
    consoleId = id; consoleVersion = null; $("run").hidden = false;
    history.replaceState(null, "", "?session=" + id);
    if (first) pollConsole();
  }
  async function act(action, payload) {
    try { await api("api/sessions/" + consoleId + "/" + action, { body: payload }); say("Done: " + action + "."); }
    catch (err) { say(err.message, true); }
  }
  async function startConsole() {
    try {
      const s = await api("api/sessions");
      fillSelect($("session-select"), s.sessions.map((x) => [x.id, x.title + " (" + x.status + ")"]));
      fillSelect($("exercise-select"), s.exercises.map((x) => [x, x]));
      const wanted = new URLSearchParams(location.search).get("session");
      if (wanted && s.sessions.some((x) => x.id === wanted)) openConsole(wanted);
    } catch (err) { say(err.message, true); return; }
    $("session-open").onclick = () => openConsole($("session-select").value);
    $("create").onclick = async () => {
      try {
        const made = await api("api/sessions", { body: { exercise: $("exercise-select").value, title: $("new-title").value || undefined } });
        say("Session created."); openConsole(made.id);
        const listed = await api("api/sessions");
        fillSelect($("session-select"), listed.sessions.map((x) => [x.id, x.title + " (" + x.status + ")"]));
        $("session-select").value = made.id;
      } catch (err) { say(err.message + (err.problems ? ": " + err.problems.join("; ") : ""), true); }
    };
    $("assign").onclick = () => {
      const pairs = {};
      for (const line of $("assign-list").value.split("\n")) {
        const [user, role] = line.split(":").map((x) => (x || "").trim());
        if (user) pairs[user] = role;
      }
      act("assign", { assignments: pairs });
    };
    $("assign-random").onclick = () => act("assign", { random: $("random-list").value.split(/\s+/).filter(Boolean) });
    $("release").onclick = () => {
      const minutes = $("minutes").value ? parseInt($("minutes").value, 10) : undefined;
      act("release", { inject: $("inject-select").value, minutes: minutes });
    };
    $("pause").onclick = () => act("pause", { paused: consoleData.session.status !== "paused" });
    $("debrief").onclick = () => act("debrief", {});
    $("poll-open").onclick = () => act("poll", { poll: $("poll-select").value });
    $("poll-close").onclick = () => act("poll", { close: true });
  }

  if (PAGE === "console") startConsole(); else startPlay();
})();
