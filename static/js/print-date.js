// The day a page is printed, on the printout's header (base.html). CSS cannot know today's date,
// and the page itself may have been served from a cache days ago. Without this script the
// printout names the site and the address, with no date.
(function () {
  "use strict";
  var date = document.querySelector(".print-date");
  if (!date) return;
  function fill() {
    date.textContent = date.dataset.prefix + " " +
      new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" }) + ".";
  }
  fill();
  window.addEventListener("beforeprint", fill);
})();
