/* Hide events that have ended since the site was built, by the reader's clock.
   Without JavaScript the page simply shows everything that was upcoming at
   build time; the nightly publish keeps that fresh. */
(function () {
  "use strict";
  var now = Date.now();
  document.querySelectorAll("[data-hide-ended]").forEach(function (list) {
    list.querySelectorAll("[data-ends]").forEach(function (item) {
      if (Date.parse(item.getAttribute("data-ends")) <= now) {
        item.hidden = true;
      }
    });
    list.querySelectorAll(".cal-month").forEach(function (month) {
      if (!month.querySelector("[data-ends]:not([hidden])")) {
        month.hidden = true;
      }
    });
    var empty = list.querySelector("[data-cal-empty]");
    if (empty && !list.querySelector("[data-ends]:not([hidden])")) {
      empty.hidden = false;
    }
  });
})();
