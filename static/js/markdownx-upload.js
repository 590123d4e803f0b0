// A file dropped on a Markdown editor goes to the media library (editorial/views.py). On success, say that the
// image still needs describing, with a link to its page in the library; when the server refuses the file,
// markdownx inserts "Invalid response" into the text: take that out and say why, beside the editor.
(function () {
  "use strict";

  function note(editor, role) {
    var existing = editor.querySelector(".markdownx-upload-note");
    if (existing) existing.remove();
    var paragraph = document.createElement("p");
    paragraph.className = "markdownx-upload-note " + (role === "alert" ? "errornote" : "help");
    paragraph.setAttribute("role", role);
    editor.insertBefore(paragraph, editor.firstChild);
    return paragraph;
  }

  // markdownx's events do not bubble: listen in the capture phase, for every editor, added rows included.
  document.addEventListener("markdownx.fileUploadError", function (event) {
    var editor = event.target;
    var response = event.detail && event.detail[0];
    note(editor, "alert").textContent = (response && response.error) || "The file could not be uploaded.";
    var textarea = editor.querySelector("textarea");
    window.setTimeout(function () {  // markdownx inserts its text just after this event
      textarea.value = textarea.value.replace("Invalid response", "");
    });
  }, true);

  document.addEventListener("markdownx.fileUploadEnd", function (event) {
    var editor = event.target;
    var response = event.detail && event.detail[0];
    var paragraph = note(editor, "status");
    paragraph.textContent = "Image added to the media library. Before the article can go to review, give it " +
      "alternative text, a credit and its licence";
    if (response && response.edit_url) {
      var link = document.createElement("a");
      link.href = response.edit_url;
      link.target = "_blank";
      link.textContent = "in the library (opens in a new tab)";
      paragraph.append(" ", link);
    }
    paragraph.append(".");
  }, true);
})();
