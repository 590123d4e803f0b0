// "Is this page useful?" answered in place: the vote is sent in the background, the answer is
// announced through the status region, and the optional "What could be better?" form appears
// with the vote's token filled in. Without this script the same form posts and redirects.
(function () {
  "use strict";
  document.querySelectorAll("[data-usefulness]").forEach(function (box) {
    var form = box.querySelector("[data-vote-form]");
    var status = box.querySelector("[data-vote-status]");
    var followUp = box.querySelector("[data-follow-up]");
    if (!form || !status || !followUp || !window.fetch) return;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form, event.submitter);
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (button) { button.disabled = true; });
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(data),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!result.ok || !result.body.token) {
            buttons.forEach(function (button) { button.disabled = false; });
            status.textContent = (result.body && result.body.error) || "Sorry, your answer could not be sent. Please try again.";
            return;
          }
          followUp.querySelector("input[name=vote]").value = result.body.token;
          form.hidden = true;
          status.textContent = "Thank you, your answer has been counted. If you like, tell us what could be better.";
          followUp.hidden = false;
          followUp.querySelector("textarea").focus();
        })
        .catch(function () {
          // A network failure: fall back to the plain form post, which works without this script.
          form.submit();
        });
    });
  });
})();
