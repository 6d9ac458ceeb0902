"""The status bar: which forum, whether the last change is saved, and who holds the forum.

"Tersimpan HH.MM.SS" is the note-taker's proof that what they just typed is on disk: it is
updated from the forum's own ``last_saved_at`` after every durable change, never guessed.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from store.backup import backup_dir
from store.formatting import format_clock_seconds
from store.forum import Forum
from tui.widgets.forum_view import ForumView


def holder_text(forum: Forum) -> str:
    """Who holds the forum, as the status bar says it."""
    holder = forum.holder
    if not forum.readonly:
        host = holder.host if holder else "komputer ini"
        return f"kunci: {host} (ini)"
    if holder is None:
        return "HANYA-BACA: tidak ada yang memegang (ctrl+r: buka untuk menulis)"
    return f"HANYA-BACA: dipegang {holder.describe()}"


def saved_text(forum: Forum) -> str:
    """The save state; a failed automatic backup is named beside it (the change itself is
    saved: only its spare copy is missing, and the note-taker should know)."""
    if forum.readonly:
        return "hanya-baca: perubahan tidak dapat disimpan"
    saved = (
        "Semua tersimpan"
        if forum.last_saved_at is None
        else f"Tersimpan {format_clock_seconds(forum.last_saved_at)}"
    )
    return f"CADANGAN GAGAL · {saved}" if forum.backup_problem else saved


#: Seconds between looks at the background backup's outcome.
BACKUP_LOOK_S = 5.0


class StatusBar(ForumView):
    """One line under the tabs: forum file, save state, lock holder."""

    #: The backup failure already told in a notification (told once, until it changes).
    _told: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.forum.path.name, id="sb-forum", markup=False)
        yield Static(saved_text(self.forum), id="sb-saved", markup=False)
        yield Static(holder_text(self.forum), id="sb-lock", markup=False)

    def on_mount(self) -> None:
        self.set_class(self.forum.readonly, "-readonly")
        # Backups run in the background, minutes after the change that was saved: look for
        # a failure now and then, so it is told even when nobody types again.
        self.set_interval(BACKUP_LOOK_S, self._look_at_backup)

    def _look_at_backup(self) -> None:
        if self.forum.backup_problem != self._told:
            self.show_state()

    def forum_changed(self, changes: dict[str, set[int]]) -> None:
        self.show_state()

    def show_state(self) -> None:
        """Redraw save state and holder (also after a read-only refresh or a reopen)."""
        self.query_one("#sb-saved", Static).update(saved_text(self.forum), layout=False)
        self._tell_backup_problem()
        lock = self.query_one("#sb-lock", Static)
        text = holder_text(self.forum)
        if lock.render().plain != text:  # its width follows the text: lay out only then
            lock.update(text)
        self.set_class(self.forum.readonly, "-readonly")

    def _tell_backup_problem(self) -> None:
        """Say once why the automatic backup failed and where (the status bar has room only
        for "CADANGAN GAGAL")."""
        problem = self.forum.backup_problem
        if problem and problem != self._told:
            folder = backup_dir(self.forum.path)
            self.app.notify(
                f"Cadangan otomatis gagal ditulis ke {folder} ({problem}). Perubahan tetap "
                "tersimpan di berkas forum; periksa folder itu atau salin forum ke tempat lain.",
                severity="warning",
                timeout=15,
            )
        self._told = problem
