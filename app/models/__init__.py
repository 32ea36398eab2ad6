"""All tables, imported together so that SQLModel.metadata knows every one."""

from app.models.audit import AuditEvent
from app.models.bookings import Booking, BookingType, Slot
from app.models.certificates import Certificate, CertificateDelivery
from app.models.citizens import Citizen, Guardianship
from app.models.errands import Errand, ErrandMessage, ErrandType
from app.models.forms import Form, FormAnswer, FormQuestion, FormRequest
from app.models.idempotency import IdempotencyRecord
from app.models.rate_limits import RateBucket
from app.models.refs import SourceRef
from app.models.regions import Clinic, Region
from app.models.staff import Commission, Staff

__all__ = [
    "AuditEvent",
    "Booking",
    "BookingType",
    "Certificate",
    "CertificateDelivery",
    "Citizen",
    "Clinic",
    "Commission",
    "Errand",
    "ErrandMessage",
    "ErrandType",
    "Form",
    "FormAnswer",
    "FormQuestion",
    "FormRequest",
    "Guardianship",
    "IdempotencyRecord",
    "RateBucket",
    "Region",
    "Slot",
    "SourceRef",
    "Staff",
]
