"""The office's verify page: one self-contained HTML file a phone opens from the QR."""
