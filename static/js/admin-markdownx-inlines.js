// markdownx starts its editors once, when the page loads. The admin's "Add another FAQ"
// copies a hidden template row whose editor was already started (event listeners are not
// copied), so the new row would have no live preview. Start markdownx again for it:
// re-running its script starts every editor not yet marked as started.
document.addEventListener("formset:added", (event) => {
  const editors = event.target.querySelectorAll(".markdownx-editor");
  if (editors.length === 0) return;
  editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
  const markdownx = document.querySelector('script[src*="markdownx/js/markdownx"]');
  const script = document.createElement("script");
  script.src = markdownx.src;
  document.body.append(script);
});

// A FAQ or source added with "Add another" goes last: its position is the next number after
// the other rows' (the server numbers the empty rows it sends the same way).
document.addEventListener("formset:added", (event) => placeLast(event.target));

function placeLast(row) {
  const position = row.querySelector('input[name$="-position"]');
  const group = row.closest(".inline-group");
  if (!position || !group) return;
  const others = [...group.querySelectorAll('input[name$="-position"]')].filter(
    (input) => input !== position && !input.name.includes("__prefix__"),
  );
  position.value = Math.max(0, ...others.map((input) => Number(input.value) || 0)) + 1;
}
