"""A certificate rendered as PDF (fpdf2)."""

from __future__ import annotations

from fpdf import FPDF

from app.clock import STOCKHOLM
from app.models import Certificate, Clinic


def _latin1(text: str) -> str:
    # The built-in PDF fonts cover Latin-1, which holds Swedish (å, ä, ö, é); anything beyond
    # is shown as "?" rather than failing the download.
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(certificate: Certificate, issuer: Clinic, holder_name: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(certificate.title))
    pdf.set_creator("Vårdgraf")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, _latin1(certificate.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    issued = certificate.issued_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    for line in (
        f"Patient: {holder_name}",
        f"Utfärdat: {issued}",
        f"Vårdenhet: {issuer.name} ({issuer.hsa_id})",
    ):
        pdf.multi_cell(0, 7, _latin1(line), new_x="LMARGIN", new_y="NEXT")
    for section in certificate.sections:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, _latin1(section["heading"]), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, _latin1(section["body"]), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
