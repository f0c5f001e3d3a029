/* The deposit form: drag and drop, limits checked before sending, one progress bar per file, per-file verdicts.
   Without JavaScript the form posts as usual and the server gives the same verdicts. */
(function () {
  "use strict";
  var form = document.getElementById("deposit-form");
  if (!form) { return; }
  var input = document.getElementById("id_files");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("file-list");
  var errorsBox = document.getElementById("form-errors");
  var submit = document.getElementById("deposit-submit");
  var data = form.dataset;
  var maxFiles = parseInt(data.maxFiles, 10);
  var maxFileBytes = parseInt(data.maxFileBytes, 10);
  var maxTotalBytes = parseInt(data.maxTotalBytes, 10);
  var extensions = data.extensions.split(",");
  var bars = [];

  function humanSize(bytes) {
    if (bytes >= 1e6) { return (bytes / 1e6).toFixed(1) + " MB"; }
    if (bytes >= 1e3) { return (bytes / 1e3).toFixed(0) + " kB"; }
    return bytes + " B";
  }

  function fileProblem(file) {
    var dot = file.name.lastIndexOf(".");
    var extension = dot >= 0 ? file.name.slice(dot).toLowerCase() : "";
    if (extensions.indexOf(extension) < 0) { return data.msgType; }
    if (file.size === 0) { return data.msgEmpty; }
    if (file.size > maxFileBytes) { return data.msgSize; }
    return "";
  }

  function showErrors(messages, focus) {
    errorsBox.textContent = "";
    messages.forEach(function (message) {
      var p = document.createElement("p");
      p.className = "message message--error";
      p.textContent = message;
      errorsBox.appendChild(p);
    });
    if (focus && messages.length) { errorsBox.focus(); }
  }

  function render() {
    list.textContent = "";
    bars = [];
    var files = Array.prototype.slice.call(input.files);
    var total = 0;
    var problems = 0;
    files.forEach(function (file) {
      total += file.size;
      var item = document.createElement("li");
      item.className = "file-item";
      var name = document.createElement("span");
      name.className = "file-item__name";
      name.textContent = file.name + " (" + humanSize(file.size) + ")";
      item.appendChild(name);
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      item.appendChild(bar);
      var verdict = document.createElement("span");
      verdict.className = "file-item__verdict";
      var problem = fileProblem(file);
      if (problem) {
        problems += 1;
        item.classList.add("file-item--refused");
        verdict.textContent = data.msgRefused + ": " + problem;
      }
      item.appendChild(verdict);
      list.appendChild(item);
      bars.push({ bar: bar, verdict: verdict, item: item, size: file.size });
    });
    var messages = [];
    if (files.length > maxFiles) { messages.push(data.msgCount); }
    if (total > maxTotalBytes) { messages.push(data.msgTotal); }
    showErrors(messages);
    return problems === 0 && messages.length === 0 && files.length > 0;
  }

  input.addEventListener("change", render);

  // One of the person's own case files: its unit is the addressee (any other reference is routed by the server).
  var reference = document.getElementById("id_case_file_reference");
  var addressee = document.getElementById("id_unit");
  function preselect() {
    var typed = reference.value.trim().toUpperCase();
    Array.prototype.forEach.call(document.querySelectorAll("#case-file-suggestions option"), function (option) {
      if (option.value.toUpperCase() === typed && addressee) { addressee.value = option.dataset.unit; }
    });
  }
  if (reference) {
    reference.addEventListener("input", preselect);
    reference.addEventListener("change", preselect);
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.add("dropzone--over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("dropzone--over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    var transfer = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (file) { transfer.items.add(file); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { transfer.items.add(file); });
    input.files = transfer.files;
    render();
  });

  function progress(loaded) {
    var start = 0;
    bars.forEach(function (entry) {
      var done = Math.max(0, Math.min(entry.size, loaded - start));
      entry.bar.value = entry.size ? Math.round((100 * done) / entry.size) : 100;
      start += entry.size;
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!render()) {
      if (input.files.length === 0) {
        showErrors([data.msgNone], true);
      } else {
        var shown = Array.prototype.map.call(errorsBox.children, function (p) { return p.textContent; });
        showErrors([data.msgNothingSent].concat(shown), true);
      }
      return;
    }
    submit.disabled = true;
    submit.textContent = data.msgSending;
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (e) { if (e.lengthComputable) { progress(e.loaded); } });
    request.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(request.responseText); } catch (error) { body = null; }
      if (body && body.ok) { window.location.assign(body.redirect); return; }
      submit.disabled = false;
      submit.textContent = submit.dataset.label;
      if (!body) { showErrors([data.msgFailed], true); return; }
      var verdicts = body.verdicts || [];
      var refused = verdicts.some(function (verdict) { return !verdict.accepted; });
      verdicts.forEach(function (verdict, index) {
        var entry = bars[index];
        if (!entry) { return; }
        entry.bar.value = 0;
        entry.item.classList.add(verdict.accepted ? "file-item--ok" : "file-item--refused");
        entry.verdict.textContent = !verdict.accepted ? data.msgRefused + ": " + verdict.reason
          : (refused ? data.msgNotSent : data.msgAccepted);
      });
      showErrors(body.errors || [], true);
    });
    request.addEventListener("error", function () {
      submit.disabled = false;
      submit.textContent = submit.dataset.label;
      showErrors([data.msgFailed], true);
    });
    request.send(new FormData(form));
  });
  submit.dataset.label = submit.textContent;
}());
