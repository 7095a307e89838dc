// Upload progress for forms marked `data-upload`: the file is sent with XMLHttpRequest so a
// progress bar can follow it; the server keeps the report and the page is loaded again to show
// it. Without this script the same form posts normally and the server redirects to the page.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload') || !window.FormData) return;
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) data.set(submitter.name, submitter.value);
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
    };
    xhr.onload = function () {
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
      buttons.forEach(function (b) { b.disabled = false; });
      if (bar) bar.hidden = true;
      say('The file could not be sent. Check your connection and try again.');
    };
    xhr.send(data);
  });
})();
