"""A certificate rendered as PDF (fpdf2), in a Unicode font embedded in the file.

The PDF's built-in fonts cover Latin-1 only: Sámi (ŋ, đ, š), Polish (ł, ą) and many other names
of people living in Sweden would print as "?". Source Sans Pro (SIL Open Font License, from
the font-source-sans-pro package) covers Latin Extended; fpdf2 embeds the glyphs used.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from typing import TYPE_CHECKING

from app.data.models import Certificate, Clinic
from app.domain.clock import STOCKHOLM

if TYPE_CHECKING:
    from fpdf import FPDF

FONTS = files("font_source_sans_pro") / "files"
FAMILY = "SourceSans"


def _with_fonts(pdf: FPDF) -> None:
    for style, name in (("", "SourceSansPro-Regular.ttf"), ("B", "SourceSansPro-Bold.ttf")):
        with as_file(FONTS / name) as path:
            pdf.add_font(FAMILY, style, str(path))


def certificate_pdf(certificate: Certificate, issuer: Clinic, holder_name: str) -> bytes:
    # Imported when a PDF is first asked for: fpdf2 brings Pillow and fontTools, 43 MiB in
    # every server process that would otherwise never render one (docs/performance.md).
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    _with_fonts(pdf)
    pdf.set_title(certificate.title)
    pdf.set_creator("Vårdgraf")
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 18)
    pdf.multi_cell(0, 10, certificate.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    issued = certificate.issued_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    for line in (
        f"Patient: {holder_name}",
        f"Utfärdat: {issued}",
        f"Vårdenhet: {issuer.name} ({issuer.hsa_id})",
    ):
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    for section in certificate.sections:
        pdf.ln(4)
        pdf.set_font(FAMILY, "B", 13)
        pdf.multi_cell(0, 8, section["heading"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(0, 6, section["body"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
