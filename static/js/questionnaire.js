// Progressive enhancement for the questionnaire: save each answer as it is chosen.
// Without JavaScript every button still saves the section.
(function () {
  "use strict";
  var form = document.querySelector("form.questionnaire[data-autosave-url]");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("autosave-status");
  var pending = null;
  form.addEventListener("change", function (event) {
    if (event.target.type !== "radio") { return; }
    clearTimeout(pending);
    pending = setTimeout(function () {
      var data = new FormData(form);
      data.set("action", "autosave");
      fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        if (status) { status.textContent = response.ok ? "Saved." : "Could not save just now; your answers will be saved when you continue."; }
      }).catch(function () {
        if (status) { status.textContent = "Offline? Your answers will be saved when you continue."; }
      });
    }, 300);
  });
})();
