// Accessible names that ipywidgets and the Markdown renderer leave out: a slider handle gets the
// label of its slider ("Weight of Latency budget"), a checklist box in rendered Markdown gets the
// text of its item. Runs on every change of the page (batched per frame), only inside .pf-app.
(function () {
  if (window.__pfA11y) { return; }
  window.__pfA11y = true;
  var queued = false;
  function name(text) { return (text || '').replace(/\s+/g, ' ').trim().slice(0, 120); }
  function label() {
    queued = false;
    document.querySelectorAll('.pf-app .widget-slider').forEach(function (slider) {
      var text = slider.querySelector('.widget-label');
      slider.querySelectorAll('.noUi-handle:not([aria-label])').forEach(function (handle) {
        handle.setAttribute('aria-label', 'Weight of ' + name(text && text.textContent));
      });
    });
    document.querySelectorAll('.pf-app input[type=checkbox]:not([aria-label])').forEach(function (box) {
      if (box.labels && box.labels.length && name(box.labels[0].textContent)) { return; }
      var item = box.closest('li') || box.parentElement;
      box.setAttribute('aria-label', name(item && item.textContent) || 'checklist item');
    });
  }
  function later() { if (!queued) { queued = true; window.requestAnimationFrame(label); } }
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
  later();
})();
