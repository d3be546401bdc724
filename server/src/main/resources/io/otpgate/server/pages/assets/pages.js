// OTPGate hosted pages: progressive enhancement only; every form works without this file.
(function () {
  'use strict';

  // The resend countdown runs on the server's clock: the page says what time it was when it was
  // rendered, so a phone whose clock is off still counts the right number of seconds.
  function countdown() {
    var box = document.getElementById('countdown');
    var button = document.getElementById('resend');
    if (!box || !button) {
      return;
    }
    var resendAt = Date.parse(box.getAttribute('data-resend-at'));
    var serverNow = Date.parse(box.getAttribute('data-now'));
    if (isNaN(resendAt) || isNaN(serverNow)) {
      return;
    }
    var offset = serverNow - Date.now();
    var wait = box.getAttribute('data-wait');
    var ready = box.getAttribute('data-ready');
    var timer = null;

    function clock(seconds) {
      var m = Math.floor(seconds / 60);
      var s = seconds % 60;
      return m + ':' + (s < 10 ? '0' : '') + s;
    }

    function tick() {
      var left = Math.ceil((resendAt - (Date.now() + offset)) / 1000);
      if (left > 0) {
        button.disabled = true;
        box.textContent = wait.replace('{time}', clock(left));
      } else {
        button.disabled = false;
        box.textContent = ready;
        if (timer !== null) {
          clearInterval(timer);
        }
      }
    }

    tick();
    if (button.disabled) {
      timer = setInterval(tick, 1000);
    }
  }

  // Codes get copied as "123 456" or "123-456"; keep what counts so maxlength does not cut it.
  function pasteFriendlyCode() {
    var input = document.getElementById('code');
    if (!input) {
      return;
    }
    input.addEventListener('paste', function (event) {
      var data = event.clipboardData || window.clipboardData;
      if (!data) {
        return;
      }
      var text = data.getData('text');
      // The same separators as the field's pattern: every Unicode space (\s) and dash (\p{Pd}).
      var kept = text.replace(/[\s\p{Pd}\u2212]/gu, '');
      if (kept !== text) {
        event.preventDefault();
        input.value = input.maxLength > 0 ? kept.slice(0, input.maxLength) : kept;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
  }

  // After an error, put the keyboard where the fix goes: the field in question, else the message.
  function focusOnError() {
    var message = document.getElementById('message');
    if (!message || message.getAttribute('role') !== 'alert') {
      return;
    }
    var invalid = document.querySelector('[aria-invalid="true"]');
    (invalid || message).focus();
  }

  countdown();
  pasteFriendlyCode();
  focusOnError();
}());
