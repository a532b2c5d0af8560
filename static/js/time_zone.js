// Progressive enhancement for the profile's time zone: while the field is blank (never chosen),
// preselect the zone the browser runs in, when the list offers it. Without this script the field
// stays blank and saving keeps the zone the profile has (UTC).
(function () {
  "use strict";
  // Browsers (ICU) still report a few zones by their older names; the list has tzdata's current ones.
  var CURRENT_NAMES = {
    "Africa/Asmera": "Africa/Asmara",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Godthab": "America/Nuuk",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Louisville": "America/Kentucky/Louisville",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Europe/Kiev": "Europe/Kyiv",
    "Pacific/Enderbury": "Pacific/Kanton",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Truk": "Pacific/Chuuk"
  };
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) {
    return;
  }
  zone = CURRENT_NAMES[zone] || zone;
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
