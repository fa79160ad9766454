/* global document, window, EventSource */
// 在线访谈: appends the live transcript's entries as the server sends them (server-sent events).
// The page works without this script (it shows the transcript so far and a refresh link). No inline
// script anywhere (CSP): labels come from the transcript's data attributes; text goes in as text.
(function () {
  'use strict';
  var log = document.getElementById('transcript');
  if (!log || !log.dataset.live || typeof window.EventSource !== 'function') return;
  var last = Number(log.dataset.after || '0');
  var withdrawable = document.querySelector('#withdraw-form select[name="seq"]');
  var pad = function (n) {
    return (n < 10 ? '0' : '') + n;
  };
  // Beijing time, as the server renders it.
  var clock = function (iso) {
    var d = new Date(new Date(iso).getTime() + 8 * 3600000);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  };
  var el = function (tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  var lines = function (parent, text) {
    text.split('\n').forEach(function (line) {
      if (line.trim() !== '') parent.appendChild(el('p', '', line));
    });
  };
  var label = function (role) {
    return log.dataset['l' + role.charAt(0).toUpperCase() + role.slice(1)] || '';
  };

  function render(e) {
    var li = el('li', 'entry entry-' + e.kind);
    li.id = 'entry-' + e.seq;
    if (e.kind === 'status') {
      var p = el('p');
      p.appendChild(el('strong', '', label(e.status)));
      li.appendChild(p);
    } else {
      if (e.speaker) {
        var who =
          label(e.speaker.role) +
          ' ' +
          e.speaker.name +
          (e.speaker.title ? '（' + e.speaker.title + '）' : '');
        li.appendChild(el('p', 'speaker', who));
      }
      if (e.quote) {
        var q = el('blockquote');
        q.appendChild(el('p', '', e.quote.name + '：' + e.quote.text));
        li.appendChild(q);
      }
      if (e.kind === 'image' && e.image) {
        var fig = el('figure');
        var img = el('img');
        img.src = e.image.url;
        img.alt = e.text;
        fig.appendChild(img);
        fig.appendChild(el('figcaption', '', e.text));
        li.appendChild(fig);
      } else {
        lines(li, e.text);
      }
    }
    var meta = el('p', 'meta');
    var time = el('time', '', clock(e.at));
    time.setAttribute('datetime', e.at);
    meta.appendChild(time);
    li.appendChild(meta);
    return li;
  }

  var source = new EventSource(log.dataset.live + '?after=' + last);
  source.addEventListener('entry', function (message) {
    var e = JSON.parse(message.data);
    if (e.seq <= last || document.getElementById('entry-' + e.seq)) return;
    last = e.seq;
    var empty = document.getElementById('transcript-empty');
    if (empty) empty.remove();
    log.appendChild(render(e));
    // The workbench console: an entry that arrived live can be withdrawn without reloading the page.
    if (withdrawable && e.kind !== 'status') {
      var text = e.text || '';
      var option = el(
        'option',
        '',
        '#' + e.seq + ' ' + (e.speaker ? e.speaker.name : '') + '：' + Array.from(text).slice(0, 40).join(''),
      );
      option.value = String(e.seq);
      withdrawable.insertBefore(
        option,
        withdrawable.options[withdrawable.options[0] && withdrawable.options[0].value === '' ? 1 : 0] || null,
      );
    }
    if (e.kind === 'status') {
      var status = document.getElementById('interview-status');
      if (status)
        status.textContent = log.dataset['s' + e.status.charAt(0).toUpperCase() + e.status.slice(1)] || '';
      if (e.status !== 'live') source.close();
    }
  });
  // 撤回: the entry it names keeps its place and time, and says only that it was withdrawn.
  source.addEventListener('withdrawal', function (message) {
    var e = JSON.parse(message.data);
    if (e.seq <= last) return;
    last = e.seq;
    if (withdrawable)
      Array.prototype.forEach.call(withdrawable.options, function (o) {
        if (o.value === String(e.withdraws)) o.remove();
      });
    var target = document.getElementById('entry-' + e.withdraws);
    if (!target) return;
    var meta = target.querySelector('p.meta');
    while (target.firstChild) target.removeChild(target.firstChild);
    target.className = 'entry entry-withdrawn';
    target.appendChild(el('p', '', log.dataset.lWithdrawn || ''));
    if (meta) target.appendChild(meta);
  });
})();
