// Upload progress for forms marked `data-upload`: the file is sent with XMLHttpRequest so a
// progress bar can follow it, then the bar follows the rows the server writes (read from
// /network/import/progress under a random token sent with the form); the server keeps the
// report and the page is loaded again to show it. Without this script the same form posts
// normally and the server redirects to the page.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload') || !window.FormData) return;
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
    var token = Math.random().toString(36).slice(2) + Date.now().toString(36);
    data.set('token', token);
    var polling = null;
    var bar = form.querySelector('progress');
    var status = form.querySelector('[role=status]');
    var buttons = form.querySelectorAll('button');
    var say = function (text) { if (status) status.textContent = text; };
    buttons.forEach(function (b) { b.disabled = true; });
    if (bar) { bar.hidden = false; bar.value = 0; }
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable || !bar) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      say('Sending the file: ' + bar.value + ' %');
    };
    xhr.upload.onload = function () {
      if (bar) bar.removeAttribute('value'); // indeterminate while the server reads the lines
      say('Reading the lines…');
      // Then the rows written, as the server reports them.
      polling = setInterval(function () {
        fetch('/network/import/progress?token=' + encodeURIComponent(token), { credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (p) {
            if (!p || !p.total || !bar) return;
            bar.max = p.total;
            bar.value = p.done;
            say('Writing the rows: ' + p.done.toLocaleString() + ' of ' + p.total.toLocaleString());
          })
          .catch(function () { /* the next poll tries again */ });
      }, 400);
    };
    xhr.onload = function () {
      if (polling) clearInterval(polling);
      var next = '/network/import#report';
      try { next = JSON.parse(xhr.responseText).next || next; } catch (e) { /* keep the default */ }
      var url = new URL(next, window.location.href);
      if (url.pathname === window.location.pathname) {
        window.location.hash = url.hash;
        window.location.reload();
      } else {
        window.location.assign(url.href);
      }
    };
    xhr.onerror = function () {
      if (polling) clearInterval(polling);
      buttons.forEach(function (b) { b.disabled = false; });
      if (bar) bar.hidden = true;
      say('The file could not be sent. Check your connection and try again.');
    };
    xhr.send(data);
  });
})();
