// Progressive enhancement for the profile's time zone: while the field is blank (never chosen),
// preselect the zone the browser runs in, when the list offers it. Without this script the field
// stays blank and saving keeps the zone the profile has (UTC).
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    if (select.value !== "") {
      return;
    }
    var offered = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (offered) {
      select.value = zone;
    }
  });
})();
