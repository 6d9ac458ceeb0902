// Verify page: reads a musrenbang verification code from the address (#MSR2:...) or from the
// pasted text, checks its Ed25519 signature against the keys embedded by `keys page`, and says
// SAH or TIDAK SAH. No network: everything it needs is in this file (see the page's CSP).
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
    "September", "Oktober", "November", "Desember"];
  var SEGMENTS = [2, 2, 2, 4];
  var GROUP_BYTES = {3: 1, 5: 2, 8: 3, 10: 4, 13: 5, 15: 6};

  function el(id) { return document.getElementById(id); }

  function ascii(text) {
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }

  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a, 0); out.set(b, a.length);
    return out;
  }

  function b64(text) {
    var bin = atob(text), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function hex(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return s;
  }

  function utf8(bytes) { return new TextDecoder("utf-8", {fatal: true}).decode(bytes); }

  function bad(reason) { var e = new Error(reason); e.rusak = true; return e; }

  // -- decoding --------------------------------------------------------------------------
  function fromDigits(text) {
    if (!/^[0-9]+$/.test(text)) throw bad("Kode rusak: hanya angka yang boleh setelah MSR2:.");
    var out = [];
    for (var start = 0; start < text.length; start += 15) {
      var chunk = text.slice(start, start + 15), size = GROUP_BYTES[chunk.length];
      if (!size) throw bad("Kode terpotong atau rusak.");
      var value = Number(chunk), bytes = [];
      if (value >= Math.pow(2, 8 * size)) throw bad("Kode rusak.");
      for (var i = 0; i < size; i++) { bytes.unshift(value % 256); value = Math.floor(value / 256); }
      out = out.concat(bytes);
    }
    return new Uint8Array(out);
  }

  function Reader(bytes) { this.b = bytes; this.p = 0; }
  Reader.prototype.byte = function () {
    if (this.p >= this.b.length) throw bad("Kode terpotong.");
    return this.b[this.p++];
  };
  Reader.prototype.varint = function () {
    var value = 0, scale = 1;
    for (var n = 0; n < 8; n++) {
      var byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) return value;
      scale *= 128;
    }
    throw bad("Kode rusak.");
  };
  Reader.prototype.text = function () {
    var size = this.varint();
    if (size > 200 || this.p + size > this.b.length) throw bad("Kode rusak.");
    this.p += size;
    return utf8(this.b.subarray(this.p - size, this.p));
  };

  function dateFromDays(days) {
    if (!days) return "";
    var d = new Date(Date.UTC(2000, 0, 1) + (days - 1) * 86400000);
    return d.toISOString().slice(0, 10);
  }

  function decodeCompact(digits) {
    var data = fromDigits(digits);
    if (data.length <= 104) throw bad("Kode terpotong.");
    var body = data.subarray(0, data.length - 104), tail = data.subarray(data.length - 104);
    var r = new Reader(body), scheme = r.byte(), flags = r.byte();
    var count = (flags & 3) + 1, width = 0, i;
    for (i = 0; i < count; i++) width += SEGMENTS[i];
    var code = String(r.varint());
    while (code.length < width) code = "0" + code;
    if (code.length !== width) throw bad("Kode rusak.");
    var parts = [], at = 0;
    for (i = 0; i < count; i++) { parts.push(code.slice(at, at + SEGMENTS[i])); at += SEGMENTS[i]; }
    var kind = DATA.jenis[flags >> 4];
    if (!kind || scheme < 2) throw bad("Jenis dokumen dalam kode tidak dikenal.");
    var rec = {
      kind: kind[1], title: kind[2], draft: !!(flags & 8), wilayah: parts.join("."),
      tahun: r.varint(), tanggal: dateFromDays(r.varint()), nomor: r.text(), nama: r.text(),
      summary: []
    };
    var n = r.varint();
    for (i = 0; i < n; i++) rec.summary.push([String.fromCharCode(r.byte()), r.varint()]);
    if (r.p !== body.length) throw bad("Kode rusak.");
    rec.digest = tail.subarray(0, 32);
    rec.kid = hex(tail.subarray(32, 40)).toUpperCase();
    rec.signature = tail.subarray(40);
    rec.message = concat(ascii("MSR2"), data.subarray(0, data.length - 64));
    return rec;
  }

  function fromBase32(text) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      var v = alphabet.indexOf(text[i]);
      if (v < 0) throw bad("Kode rusak (base32 tidak sah).");
      value = (value << 5) | v; bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 0xff); bits -= 8; }
    }
    return new Uint8Array(out);
  }

  function decodeLegacy(text) {
    var data = fromBase32(text.toUpperCase());
    if (data.length <= 104) throw bad("Kode terpotong.");
    var body = data.subarray(0, data.length - 104), tail = data.subarray(data.length - 104);
    var f = utf8(body).split("\u001f");
    if (f.length !== 9) throw bad("Kode rusak.");
    var kind = null;
    DATA.jenis.forEach(function (k) { if (k[0] === f[1]) kind = k; });
    if (!kind) throw bad("Jenis dokumen dalam kode tidak dikenal.");
    var summary = f[8] ? f[8].split(",").map(function (p) {
      var kv = p.split("="); return [kv[0], Number(kv[1])];
    }) : [];
    return {
      kind: kind[1], title: kind[2], draft: f[2] === "D", wilayah: f[3], nama: f[4],
      tahun: Number(f[5]), nomor: f[6], tanggal: f[7], summary: summary, docId: f[0],
      digest: tail.subarray(0, 32), kid: hex(tail.subarray(32, 40)).toUpperCase(),
      signature: tail.subarray(40),
      message: concat(ascii("MSR1"), data.subarray(0, data.length - 64))
    };
  }

  function decode(text) {
    var clean = text.replace(/\s+/g, "");
    var at = clean.search(/MSR[0-9]:/);
    if (at < 0) throw bad("Ini bukan kode verifikasi dokumen musrenbang.");
    var code = clean.slice(at);
    if (code.indexOf("MSR2:") === 0) return decodeCompact(code.slice(5));
    if (code.indexOf("MSR1:") === 0) return decodeLegacy(code.slice(5));
    throw bad("Versi kode tidak dikenal: minta halaman verifikasi terbaru ke kantor penerbit.");
  }

  // -- keys and signatures ---------------------------------------------------------------
  function covers(entry, wilayah) {
    if (!entry.wilayah) return true; // this office's own keys: it issued the document
    return wilayah === entry.wilayah || wilayah.indexOf(entry.wilayah + ".") === 0;
  }

  function candidates(rec) {
    return DATA.kunci.filter(function (k) { return k.kid === rec.kid && covers(k, rec.wilayah); });
  }

  var forceFallback = /tanpa-webcrypto/.test(location.search);

  function verifyWebCrypto(pub, sig, msg) {
    if (forceFallback || !window.crypto || !crypto.subtle) return Promise.reject(new Error("x"));
    return crypto.subtle.importKey("raw", pub, {name: "Ed25519"}, false, ["verify"])
      .then(function (key) { return crypto.subtle.verify({name: "Ed25519"}, key, sig, msg); })
      .then(function (ok) { return {ok: ok, cara: "webcrypto"}; });
  }

  function verifyFallback(pub, sig, msg) {
    return {ok: window.nacl.sign.detached.verify(msg, sig, pub), cara: "tweetnacl"};
  }

  function verify(pub, sig, msg) {
    return verifyWebCrypto(pub, sig, msg).catch(function () {
      return verifyFallback(pub, sig, msg);
    });
  }

  // -- showing ---------------------------------------------------------------------------
  function rupiah(n) {
    return "Rp" + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function tanggal(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? Number(m[3]) + " " + BULAN[Number(m[2]) - 1] + " " + m[1] : iso;
  }

  function levelWord(wilayah) {
    var parts = wilayah.split(".");
    if (parts.length < 4) return "Kecamatan";
    return parts[3].charAt(0) === "1" ? "Kelurahan" : "Desa";
  }

  function subject(rec) {
    var link = DATA.kantor_surat.indexOf(rec.kind) >= 0 ? "dari" : "Musrenbang";
    return rec.title + " " + link + " " + levelWord(rec.wilayah) + " " + rec.nama;
  }

  function fingerprint(kid) { return kid.replace(/(.{4})(?=.)/g, "$1 "); }

  function row(list, label, value) {
    var dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = label; dd.textContent = value;
    list.appendChild(dt); list.appendChild(dd);
  }

  function show(state) {
    var box = el("hasil"), list = el("isi");
    box.className = "hasil " + (state.ok ? "sah" : "tidak-sah");
    box.setAttribute("data-hasil", state.ok ? "SAH" : "TIDAK SAH");
    box.setAttribute("data-cara", state.cara || "");
    el("vonis").textContent = state.ok ? "SAH" : "TIDAK SAH";
    el("alasan").textContent = state.reason || "";
    var marks = [];
    if (state.rec && state.rec.draft) marks.push("DRAF (belum final)");
    if (state.diganti) marks.push("SUDAH DIGANTI");
    el("tanda").textContent = marks.join(" · ");
    list.textContent = "";
    var rec = state.rec;
    if (!rec) return;
    row(list, "Dokumen", subject(rec));
    row(list, "Wilayah", rec.nama + " (" + rec.wilayah + ")");
    row(list, "Tahun", String(rec.tahun));
    if (rec.nomor) row(list, "Nomor", rec.nomor);
    if (rec.tanggal) row(list, "Tanggal", tanggal(rec.tanggal));
    row(list, "Status", rec.draft ? "DRAF (belum final)" : "final");
    DATA.ringkasan.forEach(function (item) {
      rec.summary.forEach(function (pair) {
        if (pair[0] === item[0]) row(list, item[1], item[2] ? rupiah(pair[1]) : String(pair[1]));
      });
    });
    if (state.entry && state.entry.id) {
      row(list, "Kode", "ID " + state.entry.id.slice(0, 5) + "-" + state.entry.id.slice(5));
    }
    row(list, "Penerbit", state.signer || "-");
    row(list, "Kunci", fingerprint(rec.kid));
  }

  function signerText(key) {
    if (key.peran === "kantor") return "kantor ini" + officeName();
    if (key.peran === "pensiun") return "kunci lama kantor ini" + officeName() + " (pensiun)";
    return "kantor yang dipercaya untuk wilayah " + key.wilayah + (key.pensiun ? " (kunci lama)" : "");
  }

  function officeName() { return DATA.kantor.nama ? " (" + DATA.kantor.nama + ")" : ""; }

  function check(text) {
    var rec;
    try { rec = decode(text); } catch (e) {
      show({ok: false, reason: e.rusak ? e.message : "Kode rusak: tidak dapat dibaca."});
      return Promise.resolve();
    }
    var keys = candidates(rec);
    if (!keys.length) {
      show({ok: false, rec: rec, reason: "Kunci penerbit " + fingerprint(rec.kid) +
        " tidak dikenal halaman ini: bukan kunci kantor ini dan tidak dipercaya untuk wilayah " +
        rec.wilayah + "."});
      return Promise.resolve();
    }
    var tries = keys.map(function (key) {
      return verify(b64(key.pub), rec.signature, rec.message).then(function (r) {
        r.key = key; return r;
      });
    });
    return Promise.all(tries).then(function (results) {
      var good = results.filter(function (r) { return r.ok; })[0];
      if (!good) {
        show({ok: false, rec: rec, cara: results[0].cara, reason: "Isi kode tidak cocok " +
          "dengan tanda tangan digitalnya: dipalsukan atau diubah."});
        return;
      }
      var entry = DATA.daftar ? DATA.daftar[hex(rec.digest)] : null;
      var replaced = !!(entry && entry.status === "diganti");
      var reason = "Kode ini diterbitkan oleh " + signerText(good.key) + ".";
      if (replaced) {
        reason = "Dokumen ini SUDAH DIGANTI" + (entry.diganti_oleh ? " oleh dokumen ID " +
          entry.diganti_oleh.slice(0, 5) + "-" + entry.diganti_oleh.slice(5) : "") +
          ": gunakan versi terbaru.";
      }
      show({ok: !replaced, rec: rec, cara: good.cara, diganti: replaced, entry: entry,
        signer: signerText(good.key), reason: reason});
    }).catch(function () {
      show({ok: false, rec: rec, reason: "Tanda tangan tidak dapat diperiksa di peramban ini."});
    });
  }

  function listKeys() {
    var ul = el("daftar-kunci");
    DATA.kunci.forEach(function (k) {
      var li = document.createElement("li");
      var role = k.peran === "kantor" ? "Kunci kantor ini" : k.peran === "pensiun" ?
        "Kunci lama kantor ini (pensiun)" : "Dipercaya untuk wilayah " + k.wilayah +
        (k.pensiun ? " (pensiun)" : "");
      li.textContent = role + ": " + fingerprint(k.kid);
      ul.appendChild(li);
    });
    el("kantor").textContent = DATA.kantor.nama ? "Penerbit halaman: " + DATA.kantor.nama : "";
    el("dibuat").textContent = "Halaman dibuat " + tanggal(DATA.dibuat) +
      (DATA.daftar ? "; memuat daftar dokumen terbit." : ".");
  }

  function fromAddress() {
    var hash = location.hash.slice(1);
    try { hash = decodeURIComponent(hash); } catch (e) { /* keep it raw */ }
    return hash;
  }

  listKeys();
  el("periksa").addEventListener("click", function () { check(el("kode").value); });
  var initial = fromAddress();
  var done = initial ? check(initial) : Promise.resolve();
  done.then(function () { document.body.setAttribute("data-selesai", "1"); });
  window.addEventListener("hashchange", function () { check(fromAddress()); });
})();
