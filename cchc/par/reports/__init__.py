"""The year's reports: which kinds there are, who builds each, what file it makes.

A builder is ``build(year: EvaluationYear, *, progress=lambda percent, text: None)
-> bytes``: it reads the stored results of a finalised or published year and reports
how far it got (0–100 and a Vietnamese step, e.g. "Đang vẽ biểu đồ"). Builders run in
the background worker (cchc/par/tasks.py); the registry names them by dotted path so
that importing it stays cheap (no python-docx, WeasyPrint or matplotlib at start-up).
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc.lib.downloads import XLSX

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str  # the button: "Báo cáo (Word)"
    title: str  # the file's name before the year: "Báo cáo Chỉ số CCHC"
    builder: str  # dotted path of build(year, *, progress) -> bytes
    content_type: str
    extension: str

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: "Tạo báo cáo (Word)"."""
        return self.label[:1].lower() + self.label[1:]

    def filename(self, year) -> str:
        """ "Báo cáo Chỉ số CCHC năm 2023.docx" (year: an EvaluationYear or its number)."""
        number = getattr(year, "year", year)
        return f"{self.title} năm {number}.{self.extension}"


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            slug="phu-luc",
            label="Phụ lục kết quả (Excel)",
            title="Phụ lục kết quả Chỉ số CCHC",
            builder="cchc.par.reports.appendices.build",
            content_type=XLSX,
            extension="xlsx",
        ),
        Kind(
            slug="bao-cao-word",
            label="Báo cáo (Word)",
            title="Báo cáo Chỉ số CCHC",
            builder="cchc.par.reports.document.build_docx",
            content_type=DOCX,
            extension="docx",
        ),
        Kind(
            slug="bao-cao-pdf",
            label="Báo cáo (PDF)",
            title="Báo cáo Chỉ số CCHC",
            builder="cchc.par.reports.document.build_pdf",
            content_type=PDF,
            extension="pdf",
        ),
    )
}
