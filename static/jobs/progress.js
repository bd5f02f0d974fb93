/* Moves the progress bar of each unfinished job on the page (.job-progress) by polling its
   status endpoint (data-status-url) once a second; reloads the page when a job ends, so that
   the server shows its result. No inline script: the page only names this file. */
(function () {
  "use strict";

  var INTERVAL = 1000;
  var RETRY = 5000;

  function show(box, state) {
    var bar = box.querySelector("progress");
    if (bar) {
      bar.value = state.percent;
      bar.textContent = state.percent + "%";
    }
    box.querySelector(".job-progress-status").textContent = state.status_label;
    box.querySelector(".job-progress-count").textContent =
      state.total ? state.done + " / " + state.total : "";
    box.querySelector(".job-progress-message").textContent = state.finished ? "" : state.message;
    box.className = "job-progress job-" + state.status;
  }

  function poll(box) {
    fetch(box.dataset.statusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      cache: "no-store",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(box, state);
        if (state.finished) {
          box.dataset.finished = "1";
          window.location.reload();
        } else {
          window.setTimeout(poll, INTERVAL, box);
        }
      })
      .catch(function () {
        window.setTimeout(poll, RETRY, box);
      });
  }

  document.querySelectorAll(".job-progress[data-finished='0']").forEach(function (box) {
    window.setTimeout(poll, INTERVAL, box);
  });
})();
