// Accessible names for what Django's admin scripts draw in the HR panel.
//
// - An autocomplete (Select2) shows a box with role="combobox" named by its current pick, so an
//   empty one has no name at all: give the box and its text the name of the field.
// - The filter boxes of a two-list picker (filter_horizontal) carry an icon <span> with an
//   aria-label, which a plain <span> may not have: make the icon an image.
"use strict";
(function () {
  function nameOf(select) {
    if (select.getAttribute("aria-label")) {
      return select.getAttribute("aria-label");
    }
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      const name = nameOf(select);
      if (!name || !container || !container.classList.contains("select2")) {
        return;
      }
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (el) {
        el.setAttribute("aria-label", name);
      });
    });
  }

  function fixFilterIcons(root) {
    root.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function fix(root) {
    nameAutocompletes(root);
    fixFilterIcons(root);
  }

  // Select2 and the pickers are drawn by other scripts at start-up (jQuery runs its "ready" code
  // late, sometimes after "load") and again when an inline row is added: name whatever they add,
  // at once (an observer runs before anything else can look at the page).
  new MutationObserver(function () {
    fix(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", function () {
    fix(document);
  });
})();
