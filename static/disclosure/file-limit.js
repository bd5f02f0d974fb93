// A file input with data-max-bytes refuses a file over its cap as soon as it is chosen:
// the message (data-too-large, the server's own) appears under the field and the form is
// not sent, rather than after minutes of uploading. The server checks again.
(function () {
  "use strict";

  function tooLarge(input) {
    var limit = Number(input.dataset.maxBytes);
    for (var i = 0; i < input.files.length; i++) {
      var file = input.files[i];
      if (file.size > limit) {
        return input.dataset.tooLarge
          .replace("{name}", file.name)
          .replace("{size}", (file.size / 1048576).toFixed(1));
      }
    }
    return "";
  }

  // Where the server puts a field's errors: first in the admin's form row, or above the
  // input in an inline's table cell.
  function place(input) {
    var row = input.closest(".form-row");
    return row ? { parent: row, before: row.firstChild } : { parent: input.parentNode, before: input };
  }

  function show(input) {
    var message = tooLarge(input);
    var where = place(input);
    var note = where.parent.querySelector(".file-limit-error");
    if (!message) {
      if (note) note.remove();
      return true;
    }
    if (!note) {
      note = document.createElement("ul");
      note.className = "errorlist file-limit-error";
      note.setAttribute("role", "alert");
      note.appendChild(document.createElement("li"));
      where.parent.insertBefore(note, where.before);
    }
    note.firstChild.textContent = message;
    return false;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=file][data-max-bytes]")) {
      show(event.target);
    }
  });

  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      if (!show(inputs[i])) {
        event.preventDefault();
        inputs[i].focus();
        return;
      }
    }
  }, true);
})();
