// Editors never lose typing in the article form: its state is kept in this browser's
// localStorage while they type, offered back when they open the same form again, and
// leaving a changed form asks first. Progressive enhancement only: without it the form
// works as before.
//
// The key is the form's address plus the version it was opened at (`base_version`); the
// add form uses its address alone. When nothing is kept for the version the form shows,
// the newest state kept for an earlier version of the same article is offered instead:
// restoring it also restores that base_version, so that saving shows the server's edit
// conflict (the differences) instead of quietly replacing what was saved since.
//
// When is a kept state cleared?
// - "Discard them", or editing the form back to what the server shows.
// - After a submit. On submit the state is written once more, marked "pending", and this
//   tab remembers its key (sessionStorage). The next page decides:
//   * the admin's success message (change list, "save and continue", "save and add
//     another", a workflow button): the save went through, the state is removed;
//   * this form again with errors: the page shows the submitted text but nothing is
//     saved, so the state is kept (under the page's key: an edit conflict moves
//     base_version on) and keeping goes on;
//   * anything else (a server error, a lost connection, going back): the state stays and
//     is offered the next time the form opens.
// - States older than 14 days, on any page of the article admin.
// While the prompt waits for an answer, nothing is written, so the offered state stays
// as it was until the editor restores or discards it.
(() => {
  const PREFIX = "article-form-keeper:";
  const SUBMITTED = `${PREFIX}submitted`;
  const MAX_AGE = 14 * 24 * 60 * 60 * 1000;
  const KEEP_EVERY = 2000; // milliseconds
  const NEVER_KEPT = new Set(["csrfmiddlewaretoken", "transition", "base_version"]);
  const NOT_VALUES = new Set(["password", "file", "submit", "button", "reset", "image"]);

  const storage = {
    read(key) {
      try {
        return JSON.parse(localStorage.getItem(key));
      } catch {
        return null;
      }
    },
    write(key, value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch {
        // Full or switched off: the form still works, it just is not kept.
      }
    },
    remove(key) {
      try {
        localStorage.removeItem(key);
      } catch {}
    },
  };

  function dropOldStates() {
    try {
      const now = Date.now();
      for (const key of Object.keys(localStorage)) {
        if (!key.startsWith(PREFIX)) continue;
        const state = storage.read(key);
        if (!state || typeof state.keptAt !== "number" || now - state.keptAt > MAX_AGE) storage.remove(key);
      }
    } catch {}
  }

  function takeSubmittedKey() {
    try {
      const key = sessionStorage.getItem(SUBMITTED);
      sessionStorage.removeItem(SUBMITTED);
      return key;
    } catch {
      return null;
    }
  }

  function rememberSubmittedKey(key) {
    try {
      sessionStorage.setItem(SUBMITTED, key);
    } catch {}
  }

  const kept = (element) =>
    element.name &&
    !element.disabled &&
    !NEVER_KEPT.has(element.name) &&
    !NOT_VALUES.has(element.type) &&
    !/password/i.test(element.name) &&
    !element.name.includes("__prefix__") &&
    !/-(INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(element.name);

  // Checkboxes and radio buttons are kept by name and value, so that groups work too.
  const fieldKey = (element) =>
    element.type === "checkbox" || element.type === "radio" ? `${element.name}=${element.value}` : element.name;

  function valueOf(element) {
    if (element.type === "checkbox" || element.type === "radio") return element.checked;
    if (element.tagName === "SELECT") {
      // With the text, so that an autocomplete's chosen option can be made again.
      return Array.from(element.selectedOptions, (option) => [option.value, option.text]);
    }
    return element.value;
  }

  function fieldsOf(form) {
    const fields = {};
    for (const element of form.elements) {
      if (kept(element)) fields[fieldKey(element)] = valueOf(element);
    }
    return fields;
  }

  function sameFields(a, b) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
    }
    return true;
  }

  function setValue(element, value) {
    if (element.type === "checkbox" || element.type === "radio") {
      if (element.checked === value) return;
      element.checked = value;
    } else if (element.tagName === "SELECT") {
      const wanted = new Map(value);
      for (const [optionValue, text] of wanted) {
        if (!Array.from(element.options).some((option) => option.value === optionValue)) {
          element.add(new Option(text, optionValue));
        }
      }
      for (const option of element.options) option.selected = wanted.has(option.value);
    } else {
      if (element.value === value) return;
      element.value = value;
    }
    element.dispatchEvent(new Event("input", { bubbles: true }));
    element.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Rows added with "Add another" get their markdownx editor a moment later (see
  // admin-markdownx-inlines.js); its preview updates on the editor's first input event.
  function whenMarkdownxStarted(editor, callback) {
    if (editor.hasAttribute("data-markdownx-init")) {
      callback();
      return;
    }
    const observer = new MutationObserver(() => {
      if (!editor.hasAttribute("data-markdownx-init")) return;
      observer.disconnect();
      callback();
    });
    observer.observe(editor, { attributes: true, attributeFilter: ["data-markdownx-init"] });
  }

  function restore(form, fields) {
    // Inline rows first, through the admin's own "Add another" button.
    for (const [name, total] of Object.entries(fields)) {
      const match = name.match(/^(.+)-TOTAL_FORMS$/);
      if (!match) continue;
      const prefix = match[1];
      const addButton = document.querySelector(`#${CSS.escape(prefix)}-group .add-row a`);
      const totalForms = form.elements[name];
      while (addButton && totalForms && Number(totalForms.value) < Number(total)) {
        const before = totalForms.value;
        addButton.click();
        if (totalForms.value === before) break; // the inline's maximum
      }
    }
    for (const element of form.elements) {
      const key = fieldKey(element);
      if (kept(element) && !key.endsWith("-TOTAL_FORMS") && key in fields) setValue(element, fields[key]);
    }
    for (const editor of form.querySelectorAll(".markdownx-editor")) {
      if (editor.name.includes("__prefix__")) continue;
      whenMarkdownxStarted(editor, () => editor.dispatchEvent(new Event("input", { bubbles: true })));
    }
  }

  function element(tag, properties = {}, children = []) {
    const node = Object.assign(document.createElement(tag), properties);
    node.append(...children);
    return node;
  }

  // The state kept for this form's version or, failing that, the newest for an earlier one.
  function findState(key, articleKey) {
    const state = storage.read(key);
    if (state?.fields || !articleKey) return state?.fields ? { key, state } : null;
    let found = null;
    try {
      for (const other of Object.keys(localStorage)) {
        if (!other.startsWith(`${articleKey}@`)) continue;
        const candidate = storage.read(other);
        if (candidate?.fields && (!found || candidate.keptAt > found.state.keptAt)) {
          found = { key: other, state: candidate };
        }
      }
    } catch {}
    return found;
  }

  function showPrompt(form, state, earlier, { onRestore, onDiscard }) {
    const keptAt = new Date(state.keptAt);
    const time = element("time", {
      dateTime: keptAt.toISOString(),
      textContent: keptAt.toLocaleString(undefined, { dateStyle: "long", timeStyle: "short" }),
    });
    const restoreButton = element("button", { type: "button", className: "button default" }, [
      "Restore my unsaved changes",
    ]);
    const discardButton = element("button", { type: "button", className: "button" }, ["Discard them"]);
    const prompt = element("div", { className: "form-keeper", id: "form-keeper" }, [
      element("h2", { id: "form-keeper-heading" }, ["You have unsaved changes in this form"]),
      element("p", {}, [
        "This browser kept changes you made on ",
        time,
        earlier
          ? " to an earlier version of this article, which has been saved since. They are not in the form below. " +
            "If you restore them, saving first shows the differences from the current version."
          : state.pending
            ? " and sent to be saved; the save may not have finished. They are not in the form below."
            : " that were not saved. They are not in the form below.",
      ]),
      element("p", { className: "form-keeper__actions" }, [restoreButton, " ", discardButton]),
    ]);
    prompt.setAttribute("role", "alert");
    prompt.setAttribute("aria-labelledby", "form-keeper-heading");
    form.prepend(prompt);

    const answer = (text) => {
      const status = element("p", { className: "form-keeper form-keeper--done", tabIndex: -1 }, [text]);
      status.setAttribute("role", "status");
      prompt.replaceWith(status);
      status.focus();
    };
    restoreButton.addEventListener("click", () => {
      onRestore();
      answer("Your unsaved changes are back in the form. Save to keep them.");
    });
    discardButton.addEventListener("click", () => {
      onDiscard();
      answer("Your unsaved changes were discarded.");
    });
  }

  function start() {
    dropOldStates();
    const submittedKey = takeSubmittedKey();
    const saved = document.querySelector(".messagelist .success") !== null;
    if (submittedKey && saved) storage.remove(submittedKey);

    const form = document.getElementById("article_form");
    const baseVersion = form?.elements.base_version;
    if (!form || !baseVersion) return; // another page of the article admin, or view-only

    const path = window.location.pathname;
    const articleKey = /\/add\/$/.test(path) ? null : PREFIX + path;
    const key = articleKey ? `${articleKey}@${baseVersion.value}` : PREFIX + path;
    const withErrors = form.querySelector(".errornote") !== null;
    // What the server has saved; a form shown again with errors has nothing of it.
    const baseline = withErrors ? null : fieldsOf(form);
    let submitting = false;
    let waitingForAnswer = false;
    let timer = null;

    const changed = () => baseline === null || !sameFields(fieldsOf(form), baseline);

    function keep() {
      clearTimeout(timer);
      timer = null;
      if (waitingForAnswer) return;
      if (!changed()) {
        storage.remove(key);
        return;
      }
      storage.write(key, {
        keptAt: Date.now(),
        pending: submitting,
        baseVersion: baseVersion.value,
        fields: fieldsOf(form),
      });
    }

    function keepSoon() {
      if (timer === null && !submitting) timer = setTimeout(keep, KEEP_EVERY);
    }

    if (withErrors) {
      if (submittedKey && submittedKey !== key) storage.remove(submittedKey);
      keep();
    } else {
      const found = findState(key, articleKey);
      if (found && sameFields(found.state.fields, baseline)) {
        storage.remove(found.key);
      } else if (found) {
        const { state } = found;
        const earlier = found.key !== key;
        waitingForAnswer = true;
        showPrompt(form, state, earlier, {
          onRestore() {
            waitingForAnswer = false;
            restore(form, state.fields);
            if (earlier) {
              if (state.baseVersion) baseVersion.value = state.baseVersion;
              storage.remove(found.key); // kept from now on under this page's key
            }
            keep();
          },
          onDiscard() {
            waitingForAnswer = false;
            storage.remove(found.key);
          },
        });
      }
    }

    form.addEventListener("input", keepSoon);
    form.addEventListener("change", keepSoon);
    form.addEventListener("formset:added", keepSoon);
    form.addEventListener("formset:removed", keepSoon);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") keep();
    });
    window.addEventListener("pagehide", keep);
    window.addEventListener("pageshow", (event) => {
      if (event.persisted) submitting = false; // back to this page: the submit did not leave it
    });

    form.addEventListener("submit", (event) => {
      if (event.submitter?.formTarget === "_blank") return; // a preview in another tab
      submitting = true;
      keep();
      rememberSubmittedKey(key);
    });

    window.addEventListener("beforeunload", (event) => {
      if (submitting || !changed()) return;
      event.preventDefault();
      event.returnValue = ""; // older browsers ask only when this is set
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
