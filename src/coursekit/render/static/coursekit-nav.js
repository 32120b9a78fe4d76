/* Sidebar toggles that work at every width: a work-around for sphinx-book-theme 1.3.0 with
 * pydata-sphinx-theme 0.17.1. Both themes attach their toggle handlers to the FIRST `.primary-toggle` and
 * `.secondary-toggle` of the page, which is pydata's header button that sphinx-book-theme hides; the
 * buttons readers see (in the article header) get no handler, so on a phone the menu and contents buttons
 * did nothing and at desktop width the sidebar did not collapse. Here every other toggle forwards its click
 * (and so Enter and Space) to the first one, and tells assistive technology what it controls. */
(function () {
  "use strict";
  function wire(selector, target) {
    var all = document.querySelectorAll(selector);
    if (all.length < 2) return;
    var first = all[0];
    Array.prototype.slice.call(all, 1).forEach(function (button) {
      button.setAttribute("type", "button");
      if (target) button.setAttribute("aria-controls", target);
      button.addEventListener("click", function (event) {
        event.preventDefault();
        event.stopPropagation();
        first.click();
      });
    });
  }
  // sphinxcontrib-bibtex marks the bibliography as a list whose entries carry the deprecated role
  // doc-biblioentry, which is not a list item: assistive technology then finds a list with no items.
  function bibliographyItems() {
    Array.prototype.forEach.call(document.querySelectorAll(".citation-list[role=list] > .citation"), function (entry) {
      entry.setAttribute("role", "listitem");
    });
  }
  function init() {
    wire(".primary-toggle", "pst-primary-sidebar");
    wire(".secondary-toggle", "pst-secondary-sidebar");
    bibliographyItems();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
