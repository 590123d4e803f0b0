/* Suggestions as you type, for every search box on the page (progressive enhancement: without
   this script the box is a plain search field that submits to /search/).
   ARIA 1.2 combobox pattern: the input is the combobox, the list a listbox, the highlighted option
   is announced through aria-activedescendant; Down/Up move, Enter opens the highlighted article,
   Escape closes the list (a second Escape clears the box). */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LENGTH = 2;

  function enhance(form, number) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || form.hasAttribute("data-suggest-ready")) return;
    form.setAttribute("data-suggest-ready", "");

    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.children;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (item, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "search-suggestions__title";
        title.textContent = item.title;
        option.appendChild(title);
        if (item.also_called) {
          var also = document.createElement("span");
          also.className = "search-suggestions__also";
          also.textContent = " (" + item.also_called + ")";
          option.appendChild(also);
        }
        var kind = document.createElement("span");
        kind.className = "kind-tag";
        kind.textContent = item.kind_label;
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until we navigate
          window.location.href = item.url;
        });
        list.appendChild(option);
      });
      active = -1;
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") +
          ". Use the up and down arrow keys to choose.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < MIN_LENGTH) { show([]); return; }
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === query) show(data.suggestions || []); })
        .catch(function () { /* aborted or offline: the form still submits */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { lastQuery = null; fetchSuggestions(); if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } return; }
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.href = items[active].url;
        }
      } else if (event.key === "Escape") {
        if (open) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; lastQuery = null; }
      }
    });

    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-suggest-url]"), enhance);
})();
