/* Keeps JupyterLab's notebook shortcuts away from the controls of a topic interactive (an ipywidgets form).
 * JupyterLab 4 skips its shortcuts for a key event whose target carries data-lm-suppress-shortcuts; this
 * invisible widget marks every control of the output it sits in, now and whenever the form redraws, so
 * a, b, m, arrows or Shift+Enter typed in a form change the form, never the notebook. */
const CONTROLS = "input, select, textarea, button";

function guard(scope) {
  const mark = function () {
    scope.querySelectorAll(CONTROLS).forEach(function (n) {
      if (!n.hasAttribute("data-lm-suppress-shortcuts")) n.setAttribute("data-lm-suppress-shortcuts", "true");
    });
  };
  mark();
  const observer = new MutationObserver(mark);
  observer.observe(scope, { subtree: true, childList: true });
  return function () { observer.disconnect(); };
}

function render(ctx) {
  ctx.el.setAttribute("hidden", "");
  let stop = null, tries = 0;
  const attach = function () {
    const scope = ctx.el.closest(".jp-OutputArea-output") || (ctx.el.isConnected ? ctx.el.parentElement : null);
    if (scope) { stop = guard(scope); ctx.el.setAttribute("data-coursekit-guarding", "1"); return; }
    if (tries++ < 200) setTimeout(attach, 50);
  };
  attach();
  return function () { if (stop) stop(); };
}

export default { render };
