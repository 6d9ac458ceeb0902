"""The signed bundle (ARCHITECTURE.md section 5): how a forum's result travels up the chain.

A desa sends its Musrenbangdes to the kecamatan (SOP step 3), and the kecamatan sends its
own result to the Kabupaten (step 7), as one zip file:

- ``bundle.json``: plain UTF-8 JSON: the forum header, region, year, status and signatories,
  the proposals (with their ranking and history), attendance *counts*, agenda and minutes,
  and the SHA-256 of every document in the zip. No NIK, no phone number, no participant list.
- ``signature``: the raw 64-byte Ed25519 signature over the exact bytes of ``bundle.json``,
  made with the office key (``exports.keys``).
- ``pubkey``: the office's public key (PEM), so any tool can check the signature, e.g.
  ``openssl pkeyutl -verify -pubin -inkey pubkey -rawin -in bundle.json -sigfile signature``.
- the forum's documents (``berita-acara.docx`` ...), each covered by its hash in
  ``bundle.json`` and each carrying its own verification code.

Reading checks, cheapest first: the zip, the signature against the enclosed key, the
documents against their hashes (all exit 1 when wrong: tampered), the region, year and
status (exit 2: the wrong bundle), then whether the key is trusted for that desa (exit 1,
unless ``--trust``, which records the trust only after the import succeeded).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import importlib.util
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from exports import keys
from exports.export_all import DOC_KINDS, export_document
from exports.zip_bounds import ZipRefused, check_layout, check_members, read_member
from store.intake import FORMAT, check_bundle, received_bundle
from store.proposals import PROPOSAL_FIELDS
from store.regions import region, region_title
from store.storage_io import replace, temp_path_for
from store.validation_error import ValidationError

BUNDLE_JSON = "bundle.json"
SIGNATURE = "signature"
PUBKEY = "pubkey"
VERSION = 1
EXIT_FAILED, EXIT_USAGE = 1, 2
HEADER_FIELDS = (
    "level", "wilayah_kode", "wilayah_nama", "kabupaten", "tahun", "judul", "tanggal", "pukul",
    "tempat", "pimpinan", "pimpinan_jabatan", "notulis", "notulis_jabatan", "narasumber",
    "materi", "pagu", "metode_prioritas", "metode_keputusan", "hasil_keputusan", "nomor_surat",
    "status", "dibuat",
)  # fmt: skip
PROPOSAL_EXTRA = (
    "id",
    "desa_kode",
    "status",
    "alasan",
    "asal",
    "urutan",
    "duplikat_dari",
    "duplikat_lintas_desa",
    "riwayat",
)
MINUTE_FIELDS = ("waktu", "jenis", "teks", "pembicara_nama", "pembicara_unsur", "metode", "hasil")


class BundleError(Exception):
    """A bundle refused, with the reason (Indonesian) and the command's exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


# --------------------------------------------------------------------------- writing


def available_kinds() -> list[str]:
    """The document kinds whose builders exist in this version (all six once complete)."""
    return [
        kind
        for kind in DOC_KINDS
        if importlib.util.find_spec(f"exports.documents.{kind.replace('-', '_')}") is not None
    ]


def bundle_payload(forum: Any, documents: dict[str, bytes], key_id: str) -> dict[str, Any]:
    """``bundle.json``'s content: what the next level needs, nothing personal."""
    meta = forum.meta
    place = region(meta["wilayah_kode"])
    ranking = {row.id: row for row in forum.priority.ranking().rows}
    agenda = forum.agenda.all()
    titles = {a["id"]: a["judul"] for a in agenda}
    kecamatan = place.code if place.level == "kecamatan" else place.parent_code
    return {
        "format": FORMAT,
        "versi": VERSION,
        "dibuat": forum.clock().replace(microsecond=0).isoformat(),
        "kunci": key_id,
        "forum": {key: meta.get(key) for key in HEADER_FIELDS},
        "wilayah": {
            "kode": place.code,
            "nama": place.name,
            "tingkat": place.level,
            "kecamatan_kode": kecamatan,
            "kecamatan_nama": region(kecamatan).name,
            "kabupaten": meta.get("kabupaten", ""),
        },
        "tahun": meta["tahun"],
        "status": meta.get("status"),
        "penandatangan": [
            {k: s.get(k) for k in ("peran", "nama", "nip", "pangkat", "jenis", "waktu")}
            for s in forum.signoff.signatures()
        ],
        "usulan": [_proposal(p, ranking.get(p["id"])) for p in forum.proposals.all()],
        "kehadiran": dataclasses.asdict(forum.participants.summary()),
        "agenda": [
            {
                k: a.get(k)
                for k in ("urut", "judul", "rencana_mulai", "rencana_selesai", "mulai", "selesai")
            }
            for a in agenda
        ],
        "notulen": [
            {"agenda": titles.get(m.get("agenda_id"), ""), **{k: m.get(k) for k in MINUTE_FIELDS}}
            for m in forum.minutes.all()
        ],
        "dokumen": [
            {"berkas": name, "sha256": hashlib.sha256(data).hexdigest(), "ukuran": len(data)}
            for name, data in sorted(documents.items())
        ],
    }


def _proposal(proposal: dict[str, Any], row: Any) -> dict[str, Any]:
    item = {key: proposal.get(key) for key in (*PROPOSAL_EXTRA, *PROPOSAL_FIELDS)}
    item["peringkat"] = row.rank if row is not None else None
    item["nilai"] = row.nilai if row is not None else None
    return item


def write_bundle(
    forum: Any, out: Path, *, passphrase: str | None = None, documents: bool = True
) -> Path:
    """Write the forum's signed bundle to ``out`` (a folder gets ``bundel-<kode>-<tahun>.zip``);
    returns the file. ``documents=False`` leaves the .docx out (tests and benchmarks only)."""
    out = Path(out)
    meta = forum.meta
    if out.is_dir():
        out = out / f"bundel-{meta['wilayah_kode']}-{meta['tahun']}.zip"
    key_id = keys.ensure_key()
    docs = _documents(forum, passphrase) if documents else {}
    payload = bundle_payload(forum, docs, key_id)
    data = orjson.dumps(payload, option=orjson.OPT_INDENT_2) + b"\n"
    signature = keys.private_key(passphrase).sign(data)
    tmp = temp_path_for(out)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(BUNDLE_JSON, data)
            zf.writestr(SIGNATURE, signature)
            zf.writestr(PUBKEY, keys.public_pem(keys.public_key()))
            for name, content in sorted(docs.items()):
                zf.writestr(name, content)
        replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def _documents(forum: Any, passphrase: str | None) -> dict[str, bytes]:
    """Each available document, issued (signed, registered) exactly as ``export`` does."""
    with tempfile.TemporaryDirectory(prefix="bundel-") as tmp:
        written: dict[str, bytes] = {}
        for kind in available_kinds():
            for path in export_document(
                forum, kind, Path(tmp) / f"{kind}.docx", passphrase=passphrase
            ):
                written[path.name] = path.read_bytes()
        return written


# --------------------------------------------------------------------------- reading


@dataclass
class VerifiedBundle:
    """A bundle whose signature and documents check out; ``payload`` is ``bundle.json``."""

    path: Path
    payload: dict[str, Any]
    digest: str
    key_id: str
    public_pem: bytes
    public_raw: str  # base64 of the raw 32-byte key: what trust compares, whole
    documents: list[str] = field(default_factory=list)
    trusted: bool = False
    trust_note: str = ""

    @property
    def fingerprint(self) -> str:
        """``3F2A 9C01 77BE 4D10``: compare with the one printed on the desa's documents."""
        return keys.format_key_id(self.key_id)

    @property
    def wilayah(self) -> str:
        return str(self.payload["forum"]["wilayah_kode"])

    def record_trust(self, *, now: datetime | None = None) -> None:
        """Trust this bundle's key for its region (``--trust``, after a successful import)."""
        if self.trusted:
            return
        with tempfile.TemporaryDirectory(prefix="kunci-") as tmp:
            source = Path(tmp) / PUBKEY
            source.write_bytes(self.public_pem)
            keys.trust_key(source, self.wilayah, now=now)
        self.trusted = True
        self.trust_note = f"kunci dipercaya untuk wilayah {self.wilayah}"


MEMBER_LIMITS = {BUNDLE_JSON: 32 * 1024 * 1024, SIGNATURE: 128, PUBKEY: 4096}
DOCUMENT_LIMIT = 48 * 1024 * 1024
MAX_MEMBERS = len(MEMBER_LIMITS) + len(DOC_KINDS)
MAX_BUNDLE_BYTES = 256 * 1024 * 1024


def _member_limit(name: str) -> int | None:
    """Which members a bundle may hold (ours: bundle.json, signature, pubkey and the
    forum's documents by kind) and how large each may say it is."""
    if name in MEMBER_LIMITS:
        return MEMBER_LIMITS[name]
    return DOCUMENT_LIMIT if name.removesuffix(".docx") in DOC_KINDS else None


def open_bundle(path: Path) -> VerifiedBundle:
    """Check a bundle's integrity on its own: zip, signature, documents (not trust).

    The zip's members are checked by name and declared size before any is inflated.
    """
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = {info.filename for info in zf.infolist()}
            if BUNDLE_JSON not in names:
                raise BundleError(
                    f"{path.name} bukan bundel musrenbang (tidak ada {BUNDLE_JSON}).", EXIT_USAGE
                )
            check_layout(zf, path)
            names = check_members(
                zf, _member_limit, max_entries=MAX_MEMBERS, max_total=MAX_BUNDLE_BYTES
            )
            missing = [n for n in (SIGNATURE, PUBKEY) if n not in names]
            if missing:
                raise BundleError(
                    f"{path.name}: bundel tanpa {' dan '.join(missing)}, tidak "
                    "dapat diperiksa keasliannya.",
                    EXIT_FAILED,
                )
            data, signature, pem = (read_member(zf, n) for n in (BUNDLE_JSON, SIGNATURE, PUBKEY))
            contents = {n: read_member(zf, n) for n in names - {BUNDLE_JSON, SIGNATURE, PUBKEY}}
    except FileNotFoundError:
        raise BundleError(f"Berkas {path} tidak ditemukan.", EXIT_USAGE) from None
    except ZipRefused as error:
        raise BundleError(f"{path.name}: bundel ditolak: {error}.", EXIT_FAILED) from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BundleError(
            f"{path.name} bukan berkas bundel (zip) yang utuh: {error}.", EXIT_USAGE
        ) from None
    try:
        public = keys.load_public_pem(pem, f"{path.name}/{PUBKEY}")
    except keys.KeyProblem as error:
        raise BundleError(str(error), EXIT_FAILED) from None
    if not keys.verify_signature(public, signature, data):
        raise BundleError(
            f"{path.name}: tanda tangan digital bundel TIDAK SAH: isi bundle.json berubah "
            "setelah ditandatangani (atau rusak). Bundel ditolak.",
            EXIT_FAILED,
        )
    try:
        payload = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise BundleError(f"{path.name}: bundle.json tidak dapat dibaca.", EXIT_USAGE) from None
    if not isinstance(payload, dict):
        raise BundleError(f"{path.name}: bundle.json tidak dapat dibaca.", EXIT_USAGE)
    key_id = keys.key_id(public)
    if payload.get("kunci") != key_id:
        raise BundleError(
            f"{path.name}: kunci penanda tangan tidak sama dengan kunci yang "
            "tercatat di bundle.json.",
            EXIT_FAILED,
        )
    listed = _check_documents(path, payload, contents)
    digest = hashlib.sha256(data).hexdigest()
    raw = base64.b64encode(keys.raw_public(public)).decode("ascii")
    return VerifiedBundle(path, payload, digest, key_id, pem, raw, listed)


def _check_documents(path: Path, payload: dict[str, Any], contents: dict[str, bytes]) -> list[str]:
    listed = {d.get("berkas"): d.get("sha256") for d in payload.get("dokumen") or []}
    for name, expected in listed.items():
        if name not in contents:
            raise BundleError(f"{path.name}: dokumen {name} hilang dari bundel.", EXIT_FAILED)
        if hashlib.sha256(contents[name]).hexdigest() != expected:
            raise BundleError(
                f"{path.name}: dokumen {name} berubah setelah bundel "
                "ditandatangani. Bundel ditolak.",
                EXIT_FAILED,
            )
    extra = sorted(set(contents) - set(listed))
    if extra:
        raise BundleError(
            f"{path.name}: berkas tambahan yang tidak ditandatangani: "
            f"{', '.join(extra)}. Bundel ditolak.",
            EXIT_FAILED,
        )
    return sorted(listed)


def read_bundle(
    path: Path,
    *,
    trust: bool,
    expected_kecamatan: str,
    expected_tahun: int | None = None,
    forum: Any = None,
) -> VerifiedBundle:
    """A desa bundle checked for import into ``expected_kecamatan``'s forum (see module doc).

    ``trust=True`` accepts a key not yet trusted for the desa; the caller prints the
    fingerprint and calls ``record_trust()`` only once the import has succeeded. ``forum``
    (the kecamatan forum) holds what was received before: a bundle signed by another key
    than this desa's earlier ones is refused there, on whatever laptop.
    """
    bundle = open_bundle(path)
    payload = bundle.payload
    header = payload.get("forum") if isinstance(payload.get("forum"), dict) else {}
    code = str(header.get("wilayah_kode", ""))
    tahun = expected_tahun if expected_tahun is not None else header.get("tahun", 0)
    try:
        check_bundle(payload, expected_kecamatan, int(tahun or 0))
    except (ValidationError, TypeError, ValueError) as error:
        message = error.message if isinstance(error, ValidationError) else str(error)
        raise BundleError(f"{Path(path).name}: {message}", EXIT_USAGE) from None
    receipt = received_bundle(forum, code) if forum is not None else None
    _check_key(bundle, code, trust, receipt)
    return bundle


def _check_key(
    bundle: VerifiedBundle, code: str, trust: bool, receipt: dict[str, Any] | None
) -> None:
    """Trust, comparing whole public keys: this office's own key; else the key trusted for
    exactly this desa, and no other even with ``--trust``; else (``--trust``) a new key,
    unless the forum already received this desa's bundles signed by another key."""
    name = bundle.path.name
    if keys.has_key() and keys.raw_public(keys.public_key()) == base64.b64decode(bundle.public_raw):
        bundle.trusted, bundle.trust_note = True, "kunci kantor ini"
        return
    pinned = keys.trusted_for_region(code)
    if pinned is not None and pinned.public_key != bundle.public_raw:
        raise BundleError(
            f"{name}: {keys.key_conflict(code, pinned.key_id, bundle.key_id)} Bundel ditolak.",
            EXIT_FAILED,
        )
    received = (receipt or {}).get("kunci_publik")
    if received and received != bundle.public_raw and pinned is None:
        raise BundleError(
            f"{name}: bundel {region_title(code)} sebelumnya di forum ini ditandatangani kunci "
            f"{keys.format_key_id(receipt.get('kunci', ''))}, bundel ini kunci "
            f"{bundle.fingerprint}. Bundel ditolak.",
            EXIT_FAILED,
        )
    covering = [e for e in keys.trusted_keys() if e.covers(code) and not e.pensiun]
    if pinned is not None or any(e.public_key == bundle.public_raw for e in covering):
        bundle.trusted, bundle.trust_note = True, f"kunci dipercaya untuk wilayah {code}"
    elif not trust:
        raise BundleError(
            f"{name}: kunci penanda tangan {bundle.fingerprint} belum dipercaya "
            f"untuk {region_title(code)} ({code}). Cocokkan sidik kunci itu dengan yang "
            "tercetak pada dokumen desa, lalu ulangi dengan --trust (atau `musrenbang keys "
            "trust`). Bundel ditolak.",
            EXIT_FAILED,
        )
