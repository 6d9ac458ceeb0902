"""Notulen (F3): the running order and the minutes, typed as the forum talks.

The note-taker only types: Enter files the line, time-stamped, under the current agenda item
(the store fills both in). ctrl+t cycles the kind (catatan, tanggapan, keputusan by mufakat,
keputusan by voting), ctrl+s picks the speaker from the people present, ctrl+left/right move
the current agenda item. After each entry the editor goes back to a plain catatan, so a
speaker is never carried over to the next line by mistake.
"""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.markup import escape
from textual.widgets import Input, Static

from store.formatting import format_clock
from store.validation_error import ValidationError
from tui.widgets.drafts import Value, decode, encode, keeper_of
from tui.widgets.forum_view import ForumView, attempt, save_failed, touches
from tui.widgets.keys import without_keys
from tui.widgets.row_list import RowList, fit
from tui.widgets.text_input import TextInput

#: ctrl+t cycles through these (kind, decision method).
KIND_CYCLE: tuple[tuple[str, str | None], ...] = (
    ("catatan", None),
    ("tanggapan", None),
    ("keputusan", "mufakat"),
    ("keputusan", "voting"),
)
METHOD_LABELS = {"mufakat": "Mufakat", "voting": "Pemungutan suara"}
PLACEHOLDERS = {
    "catatan": "Ketik catatan, Enter untuk menyimpan",
    "tanggapan": "Ketik isi tanggapan, Enter untuk menyimpan",
    "keputusan": "Ketik isi keputusan, Enter untuk menyimpan",
}
#: The minutes list shows the latest entries (a whole day is a few hundred).
SHOWN = 300
#: Pukul (5), Acara (5), Jenis (9) and a space after each: the text starts here.
TEXT_INDENT = 22
MINUTES_HEAD = f"{'Pukul':5} {'Acara':5} {'Jenis':9} Isi"


#: Keys the minutes editor takes from Textual's Input (End, Delete, ctrl+shift+arrows remain).
EDITOR_KEYS = {"enter", "ctrl+e", "ctrl+d", "ctrl+left", "ctrl+right"}


class NoteInput(TextInput, inherit_bindings=False):
    """A minutes line (the text, or a decision's result); Enter files the entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Simpan", tooltip="Simpan entri notulen"),
        *without_keys(Input.BINDINGS, EDITOR_KEYS),
    ]

    async def action_submit(self) -> None:
        """Hand the line over and empty the field at once, in key order: what is typed
        next (fast typing, a paste's next line) starts the next entry instead of being
        glued to this one. A line that cannot be filed is put back (``NotulenPane``)."""
        line, self.value = self.value, ""
        self.post_message(self.Submitted(self, line, None))


def clock_of(iso: str | None) -> str:
    return format_clock(datetime.fromisoformat(iso)) if iso else ""


def entry_text(entry: dict[str, Any]) -> str:
    """What an entry says, as the minutes list shows it."""
    text = entry.get("teks", "")
    if entry.get("jenis") == "keputusan":
        method = METHOD_LABELS.get(entry.get("metode") or "", "")
        result = f" (hasil: {entry['hasil']})" if entry.get("hasil") else ""
        return f"{method}: {text}{result}"
    if entry.get("pembicara_nama"):
        unsur = f" ({entry['pembicara_unsur']})" if entry.get("pembicara_unsur") else ""
        return f"{entry['pembicara_nama']}{unsur}: {text}"
    return text


def entry_name(entry: dict[str, Any], length: int = 24) -> str:
    """``09.03 “Jalan usaha tani di…”``: the minute alone does not tell entries apart when
    several were filed in it."""
    text = entry_text(entry)
    short = text if len(text) <= length else text[: length - 1].rstrip() + "…"
    return f"{clock_of(entry.get('waktu'))} “{short}”"


def entry_row(entry: dict[str, Any], numbers: dict[int, int], width: int) -> list[Content]:
    """An entry as list lines: time, agenda number, kind, then the text wrapped to ``width``
    under itself."""
    lines = textwrap.wrap(entry_text(entry), width) or [""]
    kind = entry.get("jenis", "")
    first = Content.assemble(
        f"{clock_of(entry.get('waktu')):5} {numbers.get(entry.get('agenda_id'), '-'):>5} ",
        (fit(kind, 9), "bold" if kind == "keputusan" else ""),
        " ",
        lines[0],
    )
    indent = " " * TEXT_INDENT
    return [first, *(Content(indent + line) for line in lines[1:])]


def agenda_line(item: dict[str, Any] | None, position: int, total: int) -> str:
    """``Acara [4/9] Paparan narasumber · rencana 09.15-10.00 · mulai 08.51`` (markup)."""
    if item is None:
        return "[dim]Belum ada susunan acara.[/]"
    planned = "-".join(
        t.replace(":", ".") for t in (item.get("rencana_mulai"), item.get("rencana_selesai")) if t
    )
    parts = [f"[b]Acara {escape(f'[{position}/{total}]')}[/] {escape(item['judul'])}"]
    if planned:
        parts.append(f"rencana {planned}")
    if item.get("mulai"):
        parts.append(f"mulai {clock_of(item['mulai'])}")
    if item.get("selesai"):
        parts.append(f"selesai {clock_of(item['selesai'])}")
    return " · ".join(parts)


#: Width of the agenda list's text (the side panel is 46 wide with its border and padding).
AGENDA_TEXT_WIDTH = 33


def agenda_list(items: list[dict[str, Any]], current_id: int | None) -> str:
    """The whole running order (wide screens): number, planned start, title wrapped under
    itself, and the actual start-end in green once an item has started."""
    lines = ["[b]Susunan acara[/]"]
    indent = " " * 11
    for number, item in enumerate(items, start=1):
        current = item["id"] == current_id
        style = "b" if current else "dim" if item.get("selesai") else ""
        planned = (item.get("rencana_mulai") or "").replace(":", ".")
        title = textwrap.wrap(item["judul"], AGENDA_TEXT_WIDTH) or [""]
        for n, part in enumerate(title):
            text = f"[{style}]{escape(part)}[/]" if style else escape(part)
            head = f"{'▶' if current else ' '}{number:>2} {planned:5}  " if n == 0 else indent
            lines.append(head + text)
        if item.get("mulai"):
            end = clock_of(item["selesai"]) if item.get("selesai") else "…"
            lines.append(f"{indent}[$success]{clock_of(item['mulai'])}-{end}[/]")
    return "\n".join(lines)


AGENDA_KEYS = Binding.Group("Acara")


class NotulenPane(ForumView):
    """Agenda bar (and list when wide), the minutes so far, and the editor line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+t", "jenis", "Jenis", tooltip="Ganti jenis entri (catatan/tanggapan/keputusan)"
        ),
        Binding("ctrl+s", "pembicara", "Pembicara", tooltip="Pilih pembicara dari peserta hadir"),
        Binding(
            "ctrl+left",
            "acara(-1)",
            "Acara sebelum",
            group=AGENDA_KEYS,
            tooltip="Kembali ke acara sebelumnya",
        ),
        Binding(
            "ctrl+right",
            "acara(1)",
            "Acara berikut",
            group=AGENDA_KEYS,
            tooltip="Mulai acara berikutnya",
        ),
        Binding("ctrl+e", "ubah", "Ubah", tooltip="Ubah entri notulen yang disorot"),
        Binding("ctrl+d", "hapus", "Hapus", tooltip="Hapus entri notulen yang disorot"),
        Binding("escape", "batal", "Batal", show=False, tooltip="Batalkan pengubahan entri"),
        Binding("up", "geser(-1)", show=False),
        Binding("down", "geser(1)", show=False),
    ]

    def __init__(self, forum, **kwargs) -> None:
        super().__init__(forum, **kwargs)
        self._kind_index = 0
        self._speaker: dict[str, Any] | None = None
        self._editing: dict[str, Any] | None = None
        self._entries: list[dict[str, Any]] = []
        self._text_width = 0
        self._numbers: dict[int, int] = {}
        self._row_cache: dict[tuple[Any, ...], list[Content]] = {}
        self._filed_id: int | None = None  # highlighted after the redraw

    def compose(self) -> ComposeResult:
        yield Static("", id="acara-bar")
        with Horizontal(id="notulen-body"):
            with VerticalScroll(id="acara-side"):
                yield Static("", id="acara-list")
            with Vertical(id="notulen-main"):
                yield Static(MINUTES_HEAD, id="notulen-head", markup=False)
                yield RowList(id="notulen-list", past_end=True)
        with Vertical(id="editor"):
            yield Static("", id="editor-mode")
            yield NoteInput(placeholder=PLACEHOLDERS["catatan"], id="teks")
            with Horizontal(id="hasil-row"):
                yield Static("Hasil", classes="field-label")
                yield NoteInput(
                    id="hasil",
                    compact=True,
                    placeholder="mis. disepakati bulat / setuju 34, tidak 5",
                )

    def on_mount(self) -> None:
        self._show_agenda()
        self._show_mode()

    def focus_default(self) -> None:
        self.query_one("#teks", NoteInput).focus()

    # -- the draft: the line being typed survives a crash or a quit ------------------------
    draft_place = "notulen"
    draft_title = "Notulen"

    def draft_values(self) -> dict[str, Value] | None:
        """The editor as typed (None while both lines are empty)."""
        teks = self.query_one("#teks", Input).value
        hasil = self.query_one("#hasil", Input).value
        if not teks.strip() and not hasil.strip():
            return None
        return {
            "teks": teks,
            "hasil": hasil,
            "jenis": str(self._kind_index),
            "pembicara": encode(self._speaker) if self._speaker else None,
            "ubah": str(self._editing["id"]) if self._editing else None,
        }

    def restore_draft(self, values: dict[str, Value]) -> None:
        """Put a kept line back in the editor, with its kind, speaker and edited entry."""
        kind = values.get("jenis")
        self._kind_index = int(kind) % len(KIND_CYCLE) if str(kind).isdigit() else 0
        speaker = decode(values.get("pembicara"))
        self._speaker = speaker if isinstance(speaker, dict) and speaker.get("nama") else None
        editing = values.get("ubah")
        self._editing = None
        if isinstance(editing, str) and editing.isdigit():
            try:
                self._editing = self.forum.record("minutes", int(editing))
            except ValidationError:  # deleted meanwhile: the text becomes a new entry
                self._editing = None
        self.query_one("#teks", Input).value = str(values.get("teks") or "")
        self.query_one("#hasil", Input).value = str(values.get("hasil") or "")
        self._show_mode()
        self.refresh_bindings()
        self.focus_default()

    # -- drawing ---------------------------------------------------------------------------
    @on(RowList.Resized, "#notulen-list")
    def _resized(self, event: RowList.Resized) -> None:
        width = max(20, event.width - TEXT_INDENT - 2)  # 2: the scrollbar
        if width != self._text_width:
            self._text_width = width
            self._show_entries()

    def _show_entries(self) -> None:
        """Rebuild the list: the latest ``SHOWN`` entries, the one just filed highlighted."""
        if not self._text_width:
            return
        everything = self.forum.minutes.all()
        self._entries = everything[-SHOWN:]
        numbers = {a["id"]: n for n, a in enumerate(self.forum.agenda.all(), start=1)}
        if numbers != self._numbers:
            self._numbers, self._row_cache = numbers, {}
        rows = [self._row(e) for e in self._entries]
        cursor = next(  # an edited entry stays highlighted; else past the newest
            (i for i, e in enumerate(self._entries[:-1]) if e["id"] == self._filed_id),
            len(self._entries),
        )
        self.query_one(RowList).set_rows(rows, cursor=cursor)
        hidden = len(everything) - len(self._entries)
        head = MINUTES_HEAD + (
            f" ({SHOWN} entri terakhir dari {len(everything)})" if hidden else ""
        )
        self.query_one("#notulen-head", Static).update(head, layout=False)

    def _row(self, entry: dict[str, Any]) -> list[Content]:
        """An entry's lines, formatted once per content and width (a day has hundreds)."""
        key = (
            entry["id"],
            entry.get("teks"),
            entry.get("jenis"),
            entry.get("pembicara_nama"),
            entry.get("hasil"),
            entry.get("metode"),
            entry.get("agenda_id"),
            self._text_width,
        )
        row = self._row_cache.get(key)
        if row is None:
            row = self._row_cache[key] = entry_row(entry, self._numbers, self._text_width)
        return row

    def _append_entries(self, ids: set[int]) -> bool:
        """New entries filed after everything shown are appended; False if that won't do."""
        shown = {e["id"] for e in self._entries}
        if not ids or ids & shown or not self._text_width:  # no ids: a read-only refresh
            return False
        try:
            added = sorted(
                (self.forum.record("minutes", i) for i in ids), key=lambda m: (m["waktu"], m["id"])
            )
        except ValidationError:  # deleted meanwhile
            return False
        last = self._entries[-1] if self._entries else None
        if last is not None and (added[0]["waktu"], added[0]["id"]) < (last["waktu"], last["id"]):
            return False
        rows = self.query_one(RowList)
        for entry in added:
            self._entries.append(entry)
            rows.append_row(self._row(entry))
        rows.move_cursor(len(self._entries))  # past the newest: Up picks it
        return True

    def _show_agenda(self) -> None:
        items = self.forum.agenda.all()
        current = self.forum.agenda.current()
        position = next(
            (n for n, i in enumerate(items, 1) if current and i["id"] == current["id"]), 0
        )
        self.query_one("#acara-bar", Static).update(  # may take another line: laid out
            agenda_line(current, position, len(items))
        )
        self.query_one("#acara-list", Static).update(
            agenda_list(items, current["id"] if current else None)
        )

    def _show_mode(self) -> None:
        kind, method = KIND_CYCLE[self._kind_index]
        label = kind.upper() + (f" · {METHOD_LABELS[method].lower()}" if method else "")
        parts = [f"[reverse b] {label} [/]"]
        if self._speaker:
            unsur = f" ({escape(self._speaker['unsur'])})" if self._speaker.get("unsur") else ""
            parts.append(f"Pembicara: [b]{escape(self._speaker['nama'])}[/]{unsur}")
        elif kind == "tanggapan":
            parts.append("Pembicara: [$warning]belum dipilih (ctrl+s)[/]")
        if kind == "keputusan":
            other = "pemungutan suara" if method == "mufakat" else "catatan"
            parts.append(f"[dim]ctrl+t: {other} · tab: isi hasil[/]")
        if self._editing:
            parts.insert(
                0,
                f"[$accent b]Mengubah entri {escape(entry_name(self._editing))}[/] (esc batal)",
            )
        self.query_one("#editor-mode", Static).update("  ".join(parts), layout=False)
        self.query_one("#hasil-row").display = kind == "keputusan"
        self.query_one("#teks", NoteInput).placeholder = PLACEHOLDERS[kind]

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        if touches(changes, "agenda"):
            self._show_agenda()
        if touches(changes, "agenda") or (
            "minutes" in changes and not self._append_entries(changes["minutes"])
        ):
            self._show_entries()

    # -- the editor ------------------------------------------------------------------------
    def action_jenis(self) -> None:
        self._kind_index = (self._kind_index + 1) % len(KIND_CYCLE)
        self._show_mode()

    def action_pembicara(self) -> None:
        from tui.widgets.pembicara import SpeakerScreen

        self.app.push_screen(SpeakerScreen(self.forum), self._speaker_chosen)

    def _speaker_chosen(self, speaker: dict[str, Any] | None) -> None:
        if speaker is None:
            return
        self._speaker = speaker
        if KIND_CYCLE[self._kind_index][0] == "catatan":
            self._kind_index = 1  # someone speaking: a tanggapan
        self._show_mode()
        self.focus_default()

    @on(Input.Submitted, "#teks, #hasil")
    def _submitted(self, event: Input.Submitted) -> None:
        # The field emptied itself at Enter; keys typed since then are the next entry's.
        name = event.input.id or "teks"
        if not self.file_entry(**{name: event.value}):
            typed_since = event.input.value
            event.input.value = f"{event.value} {typed_since}".strip()
            event.input.cursor_position = len(event.input.value)

    def file_entry(self, teks: str | None = None, hasil: str | None = None) -> bool:
        """Enter: save the line as a new entry (or as the entry being edited); whether it was
        saved. ``teks`` / ``hasil``: the line handed over at Enter (default: the field as
        it is); the field it came from keeps what was typed after Enter."""
        teks_input = self.query_one("#teks", Input)
        hasil_input = self.query_one("#hasil", Input)
        handed_over = {
            name for name, line in (("teks", teks), ("hasil", hasil)) if line is not None
        }
        teks = teks_input.value if teks is None else teks
        hasil = hasil_input.value if hasil is None else hasil
        kind, method = KIND_CYCLE[self._kind_index]
        fields = {
            "teks": teks,
            "jenis": kind,
            "pembicara_id": self._speaker.get("id") if self._speaker else None,
            "pembicara_nama": self._speaker.get("nama", "") if self._speaker else "",
            "metode": method,
            "hasil": hasil if kind == "keputusan" else "",
        }
        minutes = self.forum.minutes
        try:
            if self._editing:
                minutes.edit(self._editing["id"], **fields)
                self._filed_id = self._editing["id"]
            else:
                self._filed_id = minutes.add(fields.pop("teks"), **fields)
        except ValidationError as error:
            self.app.notify(error.message, severity="error", timeout=8)
            return False
        except OSError as error:
            self.app.notify(save_failed(error), severity="error", timeout=12)
            return False
        self._reset_editor(keep=handed_over)
        return True

    def _reset_editor(self, keep: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        """A plain catatan again, empty but for the fields in ``keep`` (emptied at Enter,
        they hold only what was typed since); the footer is redrawn only if esc (Batal)
        goes away."""
        was_editing = self._editing is not None
        self._kind_index = 0
        self._speaker = None
        self._editing = None
        for name in {"teks", "hasil"} - keep:
            self.query_one(f"#{name}", Input).value = ""
        keeper = keeper_of(self.app)
        if keeper is not None:
            keeper.save()  # the filed line is no draft any more
        self._show_mode()
        if was_editing:
            self.refresh_bindings()
        self.focus_default()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "batal":
            return self._editing is not None
        return True

    def action_batal(self) -> None:
        self._reset_editor()

    # -- the list --------------------------------------------------------------------------
    def _highlighted(self) -> dict[str, Any] | None:
        cursor = self.query_one(RowList).cursor
        return self._entries[cursor] if 0 <= cursor < len(self._entries) else None

    def action_geser(self, rows: int) -> None:
        rows_list = self.query_one(RowList)
        rows_list.move_cursor(rows_list.cursor + rows)

    def action_ubah(self) -> None:
        entry = self._highlighted()
        if entry is None:
            self.app.bell()
            return
        self._editing = entry
        self._kind_index = next(
            (
                i
                for i, (kind, method) in enumerate(KIND_CYCLE)
                if kind == entry.get("jenis") and method in (None, entry.get("metode"))
            ),
            0,
        )
        self._speaker = (
            {
                "id": entry.get("pembicara_id"),
                "nama": entry["pembicara_nama"],
                "unsur": entry.get("pembicara_unsur", ""),
            }
            if entry.get("pembicara_nama")
            else None
        )
        self.query_one("#teks", Input).value = entry.get("teks", "")
        self.query_one("#hasil", Input).value = entry.get("hasil") or ""
        self._show_mode()
        self.refresh_bindings()
        self.focus_default()
        self.call_after_refresh(self._cursor_to_end)

    def _cursor_to_end(self) -> None:
        """Editing goes on after the entry's last word, with nothing selected: focusing
        selects the whole line, and the first key typed would replace it."""
        field = self.query_one("#teks", NoteInput)
        field.cursor_position = len(field.value)

    def action_hapus(self) -> None:
        entry = self._highlighted()
        if entry is None:
            self.app.bell()
            return
        from tui.widgets.dialogs import ConfirmDialog

        question = f"Hapus entri {entry_name(entry, 120)}?"

        def confirmed(yes: bool | None) -> None:
            if yes and attempt(self, self.forum.minutes.delete, entry["id"]):
                self.app.notify("Entri notulen dihapus (tercatat di log perubahan).")

        self.app.push_screen(ConfirmDialog("Hapus entri notulen", [question]), confirmed)

    def action_acara(self, offset: int) -> None:
        attempt(self, self.forum.agenda.step, offset)
