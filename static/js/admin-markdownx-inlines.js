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
